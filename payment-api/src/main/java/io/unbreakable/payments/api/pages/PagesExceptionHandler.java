package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * A refusal on a page is a page: another merchant's payment or report, or one that does not exist,
 * is the same 404 (so a merchant cannot even learn that it exists). The JSON API keeps problem+json.
 */
@ControllerAdvice(basePackageClasses = PagesExceptionHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PagesExceptionHandler {

    @ExceptionHandler(ApiException.class)
    String refused(ApiException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(e.status().value());
        Area.of(request.getRequestURI()).addTo(model);
        model.addAttribute("status", e.status().value());
        model.addAttribute("code", e.code());
        return "pages/error";
    }

    /** /merchant/settlements/abc names nothing: not found, as a page, rather than the API's 400 problem. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String malformedPath(MethodArgumentTypeMismatchException e, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        return refused(new ApiException(ErrorCode.NOT_FOUND, e.getMessage()), request, response, model);
    }
}
