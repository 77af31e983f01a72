package io.unbreakable.payments.api.pages;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form of each area (Spring Security's form login takes the post), and each area's refusal page. */
@Controller
class SignInController {

    @GetMapping({"/console/login", "/merchant/login"})
    String signIn(HttpServletRequest request, Model model) {
        Area.of(request.getRequestURI()).addTo(model);
        // set when GuardedSignIn answered 429: the page says for how long
        model.addAttribute("retryAfterSeconds", request.getAttribute(GuardedSignIn.RETRY_AFTER_ATTRIBUTE));
        return "pages/login";
    }

    /** What PageForwards.denied shows with its 403: a VIEWER asked for a change, or a form came without its token. */
    @GetMapping({"/console/denied", "/merchant/denied"})
    String denied(HttpServletRequest request, HttpServletResponse response, Model model) {
        Area.of(request.getRequestURI()).addTo(model);
        if (response.getStatus() == HttpServletResponse.SC_OK) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        }
        model.addAttribute("status", HttpServletResponse.SC_FORBIDDEN);
        model.addAttribute("code", "FORBIDDEN");
        return "pages/error";
    }
}
