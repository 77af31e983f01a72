package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.payment.PaymentResponse;
import io.unbreakable.payments.payment.PaymentStatus;
import io.unbreakable.payments.payment.Payment;
import io.micrometer.core.instrument.Metrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.api.merchant.AuthenticatedMerchant;
import io.unbreakable.payments.api.order.OrderService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import io.unbreakable.payments.api.common.ApiException;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/payments")
@Tag(name = "Payments", description = "Merchant: Authorization: Basic base64(secretKey + \":\"); POSTs take an optional Idempotency-Key")
class PaymentController {

    private final PaymentService payments;

    PaymentController(PaymentService payments) {
        this.payments = payments;
    }

    @PostMapping("/confirm")
    @ApiResponse(responseCode = "200", description = "DONE: approved and booked", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "202", description = "UNKNOWN: the PG did not answer in time; the recovery poller settles it (GET the payment)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Declined by the PG: its code (e.g. REJECT_CARD_PAYMENT) and message")
    @ApiResponse(responseCode = "409", description = "ALREADY_PROCESSED_PAYMENT, PAYMENT_IN_PROGRESS")
    @ApiResponse(responseCode = "503", description = "PG_UNAVAILABLE, with Retry-After: no PG can take it now; nothing was written")
    @Operation(operationId = "confirmPayment", summary = "Confirm a payment the customer authorized at the PG: 200 DONE, or 202 UNKNOWN when the PG did not answer")
    ResponseEntity<PaymentResponse> confirm(AuthenticatedMerchant merchant, @Valid @RequestBody ConfirmRequest request) {
        MDC.put("paymentKey", request.paymentKey());
        MDC.put("orderId", request.orderId());
        Payment payment;
        try {
            payment = payments.confirm(merchant.merchantId(), request.paymentKey(), request.orderId(), request.amount());
        } catch (ApiException e) {
            count("payments.confirms", e.code(), "none");
            throw e;
        }
        count("payments.confirms", payment.status().name(), payment.pgProvider());
        return respond(payment, payment.status() == PaymentStatus.UNKNOWN);
    }

    @GetMapping("/{paymentKey}")
    @Operation(operationId = "getPayment", summary = "A payment with its cancels")
    PaymentResponse get(AuthenticatedMerchant merchant, @PathVariable String paymentKey) {
        return PaymentResponse.of(payments.get(merchant.merchantId(), paymentKey));
    }

    @GetMapping("/orders/{orderId}")
    @Operation(operationId = "getPaymentByOrderId", summary = "The payment of an order (as Toss answers it): the live one, else the latest declined attempt")
    PaymentResponse getByOrderId(AuthenticatedMerchant merchant, @PathVariable String orderId) {
        return PaymentResponse.of(payments.getByOrderId(merchant.merchantId(), orderId));
    }

    @PostMapping("/{paymentKey}/cancel")
    @ApiResponse(responseCode = "200", description = "Cancelled: the payment with its cancels", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "202", description = "The PG's answer to the cancel is not known yet; it is sent again until it is", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "409", description = "PAYMENT_OUTCOME_UNKNOWN: the payment's own outcome is still open")
    @ApiResponse(responseCode = "503", description = "PG_UNAVAILABLE, with Retry-After: the payment's PG cannot take calls now; nothing was reserved")
    @Operation(operationId = "cancelPayment", summary = "Cancel all (no amount, no items), an amount, or item quantities: 200, or 202 while the PG's answer is unknown")
    ResponseEntity<PaymentResponse> cancel(AuthenticatedMerchant merchant, @PathVariable String paymentKey,
            @Valid @RequestBody CancelRequest request) {
        List<OrderService.ItemQuantity> items = request.items() == null ? List.of()
                : request.items().stream().map(item -> new OrderService.ItemQuantity(item.itemId(), item.quantity())).toList();
        MDC.put("paymentKey", paymentKey);
        PaymentService.CancelResult result;
        try {
            result = payments.cancel(merchant.merchantId(), paymentKey,
                    new PaymentService.CancelCommand(request.cancelReason(), request.cancelAmount(), items));
        } catch (ApiException e) {
            count("payments.cancels", e.code(), "none");
            throw e;
        }
        count("payments.cancels", result.outcomeOpen() ? "UNKNOWN" : "DONE", result.payment().pgProvider());
        return respond(result.payment(), result.outcomeOpen());
    }

    /** Outcomes by PG provider; a refusal counts under its error code ({@code none}: no PG was involved or it refused). */
    private static void count(String name, String outcome, String provider) {
        Metrics.counter(name, "outcome", outcome, "provider", provider).increment();
    }

    private static ResponseEntity<PaymentResponse> respond(Payment payment, boolean outcomeOpen) {
        return ResponseEntity.status(outcomeOpen ? HttpStatus.ACCEPTED : HttpStatus.OK).body(PaymentResponse.of(payment));
    }

    record ConfirmRequest(
            @NotBlank @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9_-]+", message = "must be letters, digits, _ or -") String paymentKey,
            @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{6,64}", message = "must be 6-64 characters of A-Z a-z 0-9 _ -") String orderId,
            @NotNull @Positive Long amount) {
    }

    record CancelRequest(
            @NotBlank @Size(max = 200) String cancelReason,
            @Positive Long cancelAmount,
            @Size(min = 1, max = 1000) List<@Valid @NotNull CancelItemRequest> items) {
    }

    record CancelItemRequest(@NotNull @Positive Long itemId, @NotNull @Min(1) @Max(10_000) Integer quantity) {
    }
}
