package io.unbreakable.payments.api.pages;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form of each area; Spring Security's form login takes the post. */
@Controller
class SignInController {

    @GetMapping({"/console/login", "/merchant/login"})
    String signIn(HttpServletRequest request, Model model) {
        Area.of(request.getRequestURI()).addTo(model);
        return "pages/login";
    }
}
