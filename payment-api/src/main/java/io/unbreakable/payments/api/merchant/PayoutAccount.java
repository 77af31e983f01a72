package io.unbreakable.payments.api.merchant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Where payouts go: a Korean bank code (e.g. "088" 신한) and account. */
public record PayoutAccount(
        @NotBlank @Pattern(regexp = "\\d{3}", message = "must be a 3-digit bank code") String bankCode,
        @NotBlank @Pattern(regexp = "[0-9-]{6,20}", message = "must be 6-20 digits or dashes") String accountNumber,
        @NotBlank @Size(max = 50) String holderName) {
}
