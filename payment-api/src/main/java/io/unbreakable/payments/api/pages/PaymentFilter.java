package io.unbreakable.payments.api.pages;

import io.unbreakable.payments.payment.PaymentStatus;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.Errors;

/**
 * The payment list's filters, bound from the query string: merchant (console only), status, the
 * Seoul dates the payment was requested on (both inclusive), an exact orderId or paymentKey, and the
 * keyset cursor of the page to continue after.
 */
public record PaymentFilter(
        @Positive Long merchantId,
        PaymentStatus status,
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
        @Size(max = 200) String q,
        @Size(max = 100) String after) {

    public PaymentFilter {
        q = q == null || q.isBlank() ? null : q.strip();
        after = after == null || after.isBlank() ? null : after;
    }

    /** Checks what annotations cannot: the range's order and the cursor's shape. */
    void validate(Errors errors) {
        if (from != null && to != null && from.isAfter(to)) {
            errors.rejectValue("to", "filter.to.beforeFrom");
        }
        if (after != null && PaymentCursor.parse(after).isEmpty()) {
            errors.rejectValue("after", "filter.after.invalid");
        }
    }

    /** The same filter for the portal: always the signed-in merchant, whatever the query string said. */
    public PaymentFilter forMerchant(long signedInMerchantId) {
        return new PaymentFilter(signedInMerchantId, status, from, to, q, after);
    }

    /** The query string of this filter continued after {@code cursor}, for the next page's request. */
    String queryAfter(PaymentCursor cursor) {
        StringBuilder query = new StringBuilder();
        append(query, "merchantId", merchantId);
        append(query, "status", status);
        append(query, "from", from);
        append(query, "to", to);
        append(query, "q", q);
        append(query, "after", cursor.token());
        return query.toString();
    }

    private static void append(StringBuilder query, String name, Object value) {
        if (value != null) {
            query.append(query.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        }
    }
}
