package io.unbreakable.payments.payout;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Where payouts go: a Korean bank code (e.g. "088" 신한) and account. The number is stored encrypted
 * (the API's MerchantRepository) and leaves a repository only masked; the transfer itself is the one reader
 * of the whole number.
 */
public record PayoutAccount(
        @NotBlank @Pattern(regexp = "\\d{3}", message = "must be a 3-digit bank code") String bankCode,
        @NotBlank @Pattern(regexp = "[0-9-]{6,20}", message = "must be 6-20 digits or dashes") String accountNumber,
        @NotBlank @Size(max = 50) String holderName) {

    /** The account number as stored and sent: its digits only ("110-123-456789" → "110123456789"). */
    public String digits() {
        return accountNumber.replaceAll("[^0-9]", "");
    }

    /** The same account with only the last four digits of its number shown: "****6789". */
    public PayoutAccount masked() {
        String digits = accountNumber.replaceAll("[^0-9]", "");
        return new PayoutAccount(bankCode, "****" + digits.substring(Math.max(0, digits.length() - 4)), holderName);
    }

    @Override
    public String toString() {
        return "PayoutAccount[" + bankCode + " " + masked().accountNumber() + "]"; // never the number, even in a log line
    }
}
