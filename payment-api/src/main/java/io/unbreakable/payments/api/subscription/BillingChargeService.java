package io.unbreakable.payments.api.subscription;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.api.common.PgUnavailableException;
import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.api.payment.PaymentService;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgProvider;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.pg.PgRouter;
import io.unbreakable.payments.subscription.BillingKeyCharges;
import io.unbreakable.payments.subscription.ChargeStatus;
import io.unbreakable.payments.subscription.SubscriptionProperties;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Toss's {@code POST /v1/billing/{billingKey}}: charges a billing key once for an orderId, through the
 * same PG call, outcome rules and booking as subscription charges ({@link BillingKeyCharges}). The
 * charge and its one-line order are written (committed) before the PG is called, and the PG's
 * Idempotency-Key is derived from that order: the same orderId again, later or at the same moment,
 * finds that charge and answers with it, never a second charge. An attempt whose answer was lost is
 * resolved by the next request with its orderId (asked at the PG by orderId, re-sent with the same key
 * only if the PG never saw it).
 */
@Service
class BillingChargeService {

    private final SubscriptionRepository billingKeys;
    private final BillingChargeRepository charges;
    private final BillingKeyCharges billing;
    private final PgRouter pgs;
    private final PaymentService payments;
    private final SubscriptionProperties properties;
    private final TransactionTemplate tx;

    BillingChargeService(SubscriptionRepository billingKeys, BillingChargeRepository charges, BillingKeyCharges billing, PgRouter pgs,
            PaymentService payments, SubscriptionProperties properties, TransactionTemplate tx) {
        this.billingKeys = billingKeys;
        this.charges = charges;
        this.billing = billing;
        this.pgs = pgs;
        this.payments = payments;
        this.properties = properties;
        this.tx = tx;
    }

    Payment charge(long merchantId, String billingKey, NewCharge request) {
        SubscriptionRepository.BillingKeyRow key = billingKeys.findBillingKey(merchantId, billingKey)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_BILLING_KEY, "no such billing key"));
        if (!key.customerKey().equals(request.customerKey())) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the billing key was issued to another customerKey");
        }
        PgProvider pg = pgs.provider(key.pgProvider()); // a billing key only works at the PG that issued it
        if (!pg.admitsCalls()) { // refused before anything is written
            throw unavailable(key.pgProvider(), "no charge was made");
        }
        BillingKeyCharges.Charge charge = new BillingKeyCharges.Charge(merchantId, key.billingKey(), key.customerKey(),
                request.amount(), request.orderId(), request.orderName(), null);
        Attempt attempt = tx.execute(status -> claim(merchantId, key, charge));
        if (attempt.paymentKey() != null) {
            return payments.get(merchantId, attempt.paymentKey());
        }
        PgResult<PgPayment> result = billing.send(pg.until(pgs.deadlineFromNow()), attempt.charge(), attempt.resuming());
        BillingKeyCharges.Outcome outcome = billing.outcome(attempt.charge(), result, attempt.resuming());
        if (outcome instanceof BillingKeyCharges.Approved approved) {
            tx.executeWithoutResult(status -> book(attempt, key.pgProvider(), approved.payment()));
            return payments.get(merchantId, approved.payment().paymentKey());
        }
        if (outcome instanceof BillingKeyCharges.Declined declined) {
            charges.markFailed(attempt.chargeId(), declined.httpStatus(), declined.code(), declined.message());
            throw declinedAgain(declined.httpStatus(), declined.code(), declined.message());
        }
        String reason = outcome instanceof BillingKeyCharges.NotSent notSent ? notSent.reason() : ((BillingKeyCharges.Unknown) outcome).reason();
        charges.markUnknown(attempt.chargeId(), reason);
        if (outcome instanceof BillingKeyCharges.NotSent) {
            throw unavailable(key.pgProvider(), "nothing was charged; send the same request again");
        }
        throw new ApiException(ErrorCode.PAYMENT_OUTCOME_UNKNOWN, "the PG did not answer the charge of order " + request.orderId()
                + " (" + reason + "); send the same request again: it asks the PG and never charges twice");
    }

    /** The charge of this orderId: a new one with its order, or the one already there (answered, or resumed if its outcome is open). */
    private Attempt claim(long merchantId, SubscriptionRepository.BillingKeyRow key, BillingKeyCharges.Charge charge) {
        Map<String, Long> written = billing.writeOrders(List.of(new BillingKeyCharges.OneLineOrder(merchantId, charge.orderId(),
                charge.orderName(), charge.customerKey(), charge.amount(), "BILLING")));
        Long orderPk = written.get(charge.orderId());
        if (orderPk != null) {
            String idempotencyKey = "billing-charge-" + orderPk;
            long id = charges.insert(merchantId, orderPk, key.id(), charge.amount(), idempotencyKey);
            return new Attempt(id, orderPk, withKey(charge, idempotencyKey), false, null);
        }
        BillingChargeRepository.ChargeRow existing = charges.findByOrderId(merchantId, charge.orderId())
                .orElseThrow(() -> new ApiException(ErrorCode.DUPLICATED_ORDER_ID, "orderId " + charge.orderId() + " is already used by an order"));
        if (existing.billingKeyId() != key.id() || existing.amount() != charge.amount()) {
            throw new ApiException(ErrorCode.DUPLICATED_ORDER_ID, "orderId " + charge.orderId()
                    + " was charged with another billing key or amount (" + existing.amount() + " won)");
        }
        if (existing.status() == ChargeStatus.DONE) {
            return new Attempt(existing.id(), existing.orderPk(), charge, false, existing.paymentKey());
        }
        if (existing.status() == ChargeStatus.FAILED) {
            throw declinedAgain(existing.errorStatus(), existing.errorCode(), existing.errorMessage());
        }
        if (!charges.lease(existing.id(), properties.staleAfter())) {
            throw new ApiException(ErrorCode.PAYMENT_IN_PROGRESS, "order " + charge.orderId() + " is being charged right now");
        }
        return new Attempt(existing.id(), existing.orderPk(), withKey(charge, existing.idempotencyKey()), true, null);
    }

    private void book(Attempt attempt, String pgProvider, PgPayment payment) {
        Map<String, Long> paymentIds = billing.book(List.of(new BillingKeyCharges.Booking(attempt.charge(), attempt.orderPk(), pgProvider,
                payment, null)));
        if (!charges.markDone(attempt.chargeId(), paymentIds.get(payment.paymentKey()))) {
            // another request took this charge over meanwhile (ours ran past staleAfter): it books it, not us
            throw new IllegalStateException("billing charge " + attempt.chargeId() + " was applied by another request");
        }
    }

    private static BillingKeyCharges.Charge withKey(BillingKeyCharges.Charge charge, String idempotencyKey) {
        return new BillingKeyCharges.Charge(charge.merchantId(), charge.billingKey(), charge.customerKey(), charge.amount(),
                charge.orderId(), charge.orderName(), idempotencyKey);
    }

    /** The PG's decline, with its status (403 for a card) and code, as a confirm answers it. */
    private static ApiException declinedAgain(Integer httpStatus, String code, String message) {
        return new ApiException(httpStatus != null && httpStatus == 403 ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST, code, message);
    }

    private PgUnavailableException unavailable(String provider, String what) {
        return new PgUnavailableException("the PG of this billing key (" + provider + ") cannot take calls now: " + what,
                pgs.provider(provider).retryAfter());
    }

    record NewCharge(String customerKey, long amount, String orderId, String orderName) {
    }

    /** {@code paymentKey}: the charge was already done, answer with its payment. */
    private record Attempt(long chargeId, long orderPk, BillingKeyCharges.Charge charge, boolean resuming, String paymentKey) {
    }
}
