package io.unbreakable.payments.api.subscription;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.api.merchant.AuthenticatedMerchant;
import io.unbreakable.payments.payment.PaymentResponse;
import io.unbreakable.payments.subscription.BillingInterval;
import io.unbreakable.payments.subscription.SubscriptionResponse;
import io.unbreakable.payments.time.Seoul;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Subscriptions", description = "Merchant: billing keys (자동결제) and subscriptions renewed by subscriptionRenewalJob")
class SubscriptionController {

    static final long MAX_AMOUNT = 1_000_000_000L;

    private final SubscriptionService subscriptions;
    private final BillingChargeService billingCharges;

    SubscriptionController(SubscriptionService subscriptions, BillingChargeService billingCharges) {
        this.subscriptions = subscriptions;
        this.billingCharges = billingCharges;
    }

    @PostMapping("/v1/billing/authorizations/issue")
    @ApiResponse(responseCode = "200", description = "The billing key (shown whole only here)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Refused by the PG: its code and message")
    @ApiResponse(responseCode = "503", description = "PG_UNAVAILABLE, with Retry-After")
    @Operation(operationId = "issueBillingKey", summary = "Exchange the customer's authKey for a billing key (shown whole only in this answer)")
    BillingKeyResponse issueBillingKey(AuthenticatedMerchant merchant, @Valid @RequestBody IssueBillingKeyRequest request) {
        SubscriptionRepository.BillingKeyRow key = subscriptions.issueBillingKey(merchant.merchantId(), request.customerKey(), request.authKey());
        return new BillingKeyResponse(key.billingKey(), key.customerKey(), key.cardCompany(), key.cardNumber(), Seoul.time(key.createdAt()));
    }

    @PostMapping("/v1/billing/{billingKey}")
    @ApiResponse(responseCode = "200", description = "DONE: the payment (the same one for the same orderId)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Declined by the PG: its code (e.g. REJECT_CARD_PAYMENT); the same orderId answers the same")
    @ApiResponse(responseCode = "409", description = "DUPLICATED_ORDER_ID (an order's orderId, or another amount or key), PAYMENT_IN_PROGRESS, "
            + "PAYMENT_OUTCOME_UNKNOWN (send the same request again: it asks the PG, never charges twice)")
    @ApiResponse(responseCode = "503", description = "PG_UNAVAILABLE, with Retry-After: nothing was charged")
    @Operation(operationId = "chargeBillingKey", summary = "Charge a billing key once for an orderId (Toss's 자동결제 승인): a one-line order is created with it; "
            + "the same orderId again answers with the same payment, never a second charge")
    PaymentResponse chargeBillingKey(AuthenticatedMerchant merchant, @PathVariable String billingKey,
            @Valid @RequestBody ChargeBillingKeyRequest request) {
        return PaymentResponse.of(billingCharges.charge(merchant.merchantId(), billingKey, new BillingChargeService.NewCharge(
                request.customerKey(), request.amount(), request.orderId(), request.orderName())));
    }

    @PostMapping("/v1/subscriptions")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createSubscription", summary = "Create a subscription; the first cycle is charged now unless firstBillingDate is later")
    SubscriptionResponse create(AuthenticatedMerchant merchant, @Valid @RequestBody CreateSubscriptionRequest request) {
        return SubscriptionResponse.of(subscriptions.create(merchant.merchantId(), new SubscriptionService.NewSubscription(
                request.customerKey(), request.billingKey(), request.planName(), request.amount(), request.interval(),
                request.firstBillingDate())));
    }

    @GetMapping("/v1/subscriptions/{id}")
    @Operation(operationId = "getSubscription", summary = "A subscription, its schedule and every charge attempt")
    SubscriptionResponse get(AuthenticatedMerchant merchant, @PathVariable long id) {
        return SubscriptionResponse.of(subscriptions.get(merchant.merchantId(), id));
    }

    @PostMapping("/v1/subscriptions/{id}/cancel")
    @ApiResponse(responseCode = "200", description = "The subscription as it is now", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "409", description = "ALREADY_CANCELED_SUBSCRIPTION")
    @Operation(operationId = "cancelSubscription", summary = "Cancel now, or at the end of the paid period (atPeriodEnd)")
    SubscriptionResponse cancel(AuthenticatedMerchant merchant, @PathVariable long id, @Valid @RequestBody CancelSubscriptionRequest request) {
        return SubscriptionResponse.of(subscriptions.cancel(merchant.merchantId(), id, request.atPeriodEnd()));
    }

    record IssueBillingKeyRequest(@NotBlank @Size(max = 300) String customerKey, @NotBlank @Size(max = 300) String authKey) {
    }

    /**
     * Toss's billing charge body. customerEmail and customerName are taken and not kept (the PG port
     * has no place for them); a tax-free part is not supported, so taxFreeAmount may only be 0.
     */
    record ChargeBillingKeyRequest(
            @NotBlank @Size(max = 300) String customerKey,
            @NotNull @Min(1) @Max(MAX_AMOUNT) Long amount,
            @NotNull @Pattern(regexp = "(?!sub_)[A-Za-z0-9_-]{6,64}",
                    message = "must be 6-64 characters of A-Z a-z 0-9 _ - and not start with sub_ (subscription charges)") String orderId,
            @NotBlank @Size(max = 100) String orderName,
            @Email @Size(max = 100) String customerEmail,
            @Size(max = 100) String customerName,
            @Min(value = 0, message = "must be 0: tax-free amounts are not supported") @Max(value = 0, message = "must be 0: tax-free amounts are not supported") Long taxFreeAmount) {
    }

    record BillingKeyResponse(String billingKey, String customerKey, String cardCompany, String cardNumber, OffsetDateTime issuedAt) {
    }

    record CreateSubscriptionRequest(
            @NotBlank @Size(max = 300) String customerKey,
            @NotBlank @Size(max = 300) String billingKey,
            @NotBlank @Size(max = 100) String planName,
            @NotNull @Min(1) @Max(MAX_AMOUNT) Long amount,
            @NotNull BillingInterval interval,
            LocalDate firstBillingDate) {
    }

    record CancelSubscriptionRequest(@NotNull Boolean atPeriodEnd) {
    }
}
