package io.unbreakable.payments.api.pages;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.validation.Errors;

/** A new portal password, typed twice. */
public record PortalPasswordForm(@NotBlank @Size(min = 10, max = 100) String password, String confirmation) {

    public void validate(Errors errors) {
        if (password != null && !password.equals(confirmation)) {
            errors.rejectValue("confirmation", "password.mismatch");
        }
    }
}
