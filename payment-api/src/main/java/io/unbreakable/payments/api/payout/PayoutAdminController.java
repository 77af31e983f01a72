package io.unbreakable.payments.api.payout;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.payout.PayoutResponse;
import io.unbreakable.payments.payout.PayoutStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/admin/payouts")
@Tag(name = "Admin: payouts", description = "Finance: Authorization: Bearer <PAYMENT_ADMIN_TOKEN>")
class PayoutAdminController {

    private final PayoutService payouts;

    PayoutAdminController(PayoutService payouts) {
        this.payouts = payouts;
    }

    @GetMapping
    @Operation(operationId = "listPayouts", summary = "Payouts by payout date, status and merchant (up to 500, newest date first) with totals")
    PayoutListResponse list(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate payoutDate,
            @RequestParam(required = false) PayoutStatus status, @RequestParam(required = false) Long merchantId) {
        PayoutFilter filter = new PayoutFilter(payoutDate, status, merchantId);
        return new PayoutListResponse(payouts.find(filter).stream().map(PayoutResponse::of).toList(), payouts.totals(filter));
    }

    @GetMapping("/{payoutId}")
    @Operation(operationId = "getPayout", summary = "A payout with its status, reason and the account (masked) it goes to")
    PayoutResponse get(@PathVariable long payoutId) {
        return PayoutResponse.of(payouts.get(payoutId, null));
    }

    @PostMapping("/{payoutId}/hold")
    @Operation(operationId = "holdPayout", summary = "Hold a SCHEDULED or RELEASED payout (it stays in clearing and is not sent)")
    PayoutResponse hold(@PathVariable long payoutId, @Valid @RequestBody ReasonRequest request) {
        return PayoutResponse.of(payouts.hold(payoutId, request.reason()));
    }

    @PostMapping("/{payoutId}/release")
    @Operation(operationId = "releasePayout", summary = "Release a HELD payout: the next payout run sends it")
    PayoutResponse release(@PathVariable long payoutId, @Valid @RequestBody ReasonRequest request) {
        return PayoutResponse.of(payouts.release(payoutId, request.reason()));
    }

    @PostMapping("/{payoutId}/retry")
    @Operation(operationId = "retryPayout", summary = "Schedule a FAILED payout again after its account was fixed (its amount leaves the wallet again)")
    PayoutResponse retry(@PathVariable long payoutId, @Valid @RequestBody ReasonRequest request) {
        return PayoutResponse.of(payouts.retry(payoutId, request.reason()));
    }

    record ReasonRequest(@NotBlank @Size(max = 200) String reason) {
    }

    record PayoutListResponse(List<PayoutResponse> payouts, PayoutTotals totals) {
    }
}
