package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.api.consoleuser.ConsoleRole;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page needs: who is signed in to this area (null on the sign-in page), and whether it may change things. */
@ControllerAdvice(basePackageClasses = PagesModel.class)
class PagesModel {

    /** A console OPERATOR (the only role whose POSTs the console's security lets through): forms are shown to it only. */
    @ModelAttribute("canOperate")
    boolean canOperate() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> ("ROLE_" + ConsoleRole.OPERATOR.name()).equals(authority.getAuthority()));
    }

    @ModelAttribute("signedInAs")
    String signedInAs() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || authentication instanceof AnonymousAuthenticationToken ? null : authentication.getName();
    }
}
