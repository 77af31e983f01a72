package io.unbreakable.payments.api.pages;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Shows a page in answer to a refused request while keeping the refusal's status (403, 429): the
 * request is forwarded as a GET, so the forward reaches a page's GET mapping and never passes the
 * sign-in filter (which takes POSTs to /login) a second time.
 */
final class PageForwards {

    private PageForwards() {
    }

    static void forwardAsGet(HttpServletRequest request, HttpServletResponse response, String path)
            throws ServletException, IOException {
        request.getRequestDispatcher(path).forward(new HttpServletRequestWrapper(request) {
            @Override
            public String getMethod() {
                return "GET";
            }
        }, response);
    }

    /** 403 as the area's error page: a VIEWER's change, a form without its CSRF token. */
    static AccessDeniedHandler denied(Area area) {
        return (request, response, e) -> {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            forwardAsGet(request, response, area.base() + "/denied");
        };
    }
}
