package io.unbreakable.payments.api.subscription;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.api.common.PgUnavailableException;
import io.unbreakable.payments.api.merchant.MerchantService;
import io.unbreakable.payments.api.common.Sha256;
import io.unbreakable.payments.pg.PgBillingKey;
import io.unbreakable.payments.pg.PgProvider;
import io.unbreakable.payments.pg.PgRouter;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.subscription.BillingInterval;
import io.unbreakable.payments.subscription.Subscription;
import io.unbreakable.payments.subscription.SubscriptionCharger;
import io.unbreakable.payments.subscription.SubscriptionStatus;
import io.unbreakable.payments.time.Seoul;
import io.unbreakable.payments.webhook.WebhookOutbox;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

@Service
class SubscriptionService {

    private final SubscriptionRepository subscriptions;
    private final SubscriptionCharger charger;
    private final PgRouter pgs;
    private final MerchantService merchants;
    private final TransactionTemplate tx;
    private final WebhookOutbox webhooks;

    SubscriptionService(SubscriptionRepository subscriptions, SubscriptionCharger charger, PgRouter pgs, MerchantService merchants,
            TransactionTemplate tx, WebhookOutbox webhooks) {
        this.subscriptions = subscriptions;
        this.charger = charger;
        this.pgs = pgs;
        this.merchants = merchants;
        this.tx = tx;
        this.webhooks = webhooks;
    }

    /**
     * Exchanges the customer's authKey for a billing key. The PG key is derived from the authKey (used
     * once by design), so a retry after a lost answer gets the same billing key, not a second one.
     */
    SubscriptionRepository.BillingKeyRow issueBillingKey(long merchantId, String customerKey, String authKey) {
        // the key will live at this PG: every renewal goes there (no failover for a billing key)
        List<String> order = pgs.orderFor(merchants.pgProviders(merchantId));
        PgProvider pg = pgs.firstAdmitting(order).orElseThrow(() -> new PgUnavailableException(
                "no PG can issue billing keys now (" + String.join(", ", order) + ")", pgs.retryAfter(order)));
        String idempotencyKey = "billing-issue-" + Sha256.hex((merchantId + ":" + authKey).getBytes(StandardCharsets.UTF_8));
        PgResult<PgBillingKey> result = pg.until(pgs.deadlineFromNow()).issueBillingKey(customerKey, authKey, idempotencyKey);
        if (result instanceof PgResult.Success<PgBillingKey> success) {
            return subscriptions.saveBillingKey(merchantId, success.value(), pg.provider());
        }
        if (result instanceof PgResult.Declined<PgBillingKey> declined) {
            throw new ApiException(declined.httpStatus() == 403 ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST,
                    declined.code(), declined.message());
        }
        throw new PgUnavailableException("the PG did not answer (" + ((PgResult.Unknown<PgBillingKey>) result).reason()
                + "); send the same request again", pg.retryAfter());
    }

    /** Creates the subscription; its first cycle is charged now unless it starts on a later date. */
    Subscription create(long merchantId, NewSubscription request) {
        LocalDate today = Seoul.time(OffsetDateTime.now()).toLocalDate();
        LocalDate anchor = request.firstBillingDate() == null ? today : request.firstBillingDate();
        if (anchor.isBefore(today)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "firstBillingDate " + anchor + " is in the past (today is " + today + " in Asia/Seoul)");
        }
        SubscriptionRepository.BillingKeyRow billingKey = subscriptions.findBillingKey(merchantId, request.billingKey())
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_BILLING_KEY, "no such billing key"));
        if (!billingKey.customerKey().equals(request.customerKey())) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the billing key was issued to another customerKey");
        }
        long id = tx.execute(status -> subscriptions.insert(merchantId, billingKey, request.planName(), request.amount(),
                request.interval(), anchor));
        if (!anchor.isAfter(today)) {
            charger.chargeDue(List.of(id), OffsetDateTime.now());
        }
        return get(merchantId, id);
    }

    Subscription get(long merchantId, long id) {
        return subscriptions.find(merchantId, id)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_SUBSCRIPTION, "no subscription " + id));
    }

    /**
     * At period end: an ACTIVE subscription keeps what was paid for and is not renewed. Otherwise, or
     * when it is behind on payment, it ends now. Nothing is refunded here; refunds are payment cancels.
     */
    Subscription cancel(long merchantId, long id, boolean atPeriodEnd) {
        tx.executeWithoutResult(status -> {
            SubscriptionStatus current = subscriptions.lockStatus(merchantId, id)
                    .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_SUBSCRIPTION, "no subscription " + id));
            if (current == SubscriptionStatus.CANCELED) {
                throw new ApiException(ErrorCode.ALREADY_CANCELED_SUBSCRIPTION, "subscription " + id + " is already canceled");
            }
            if (atPeriodEnd && current == SubscriptionStatus.ACTIVE) {
                subscriptions.cancelAtPeriodEnd(id);
            } else {
                subscriptions.cancelNow(id);
                webhooks.subscriptionsChanged(Map.of(id, merchantId));
            }
        });
        return get(merchantId, id);
    }

    record NewSubscription(String customerKey, String billingKey, String planName, long amount, BillingInterval interval,
            LocalDate firstBillingDate) {
    }
}
