package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.payment.PaymentStatus;
import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.api.common.PgUnavailableException;
import io.unbreakable.payments.api.merchant.MerchantService;
import io.unbreakable.payments.api.order.Order;
import io.unbreakable.payments.api.order.OrderService;
import io.unbreakable.payments.audit.AuditTrail;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgProvider;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.pg.PgRouter;
import io.unbreakable.payments.ledger.PaymentPostings;
import io.unbreakable.payments.money.Won;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Confirms and cancels payments through the PG. Each follows the same recovery points: claim or
 * reserve in our database first (committed), then call the PG with an idempotency key derived from
 * that row, then apply the answer. A crash between any two steps leaves a row the next attempt or
 * the recovery poller can finish, and never a second charge.
 */
@Service
public class PaymentService {

    private final PaymentRepository payments;
    private final OrderService orders;
    private final MerchantService merchants;
    private final PgRouter router;
    private final PaymentOutcomes outcomes;
    private final PgCaller pg;
    private final PaymentRecovery recovery;
    private final RecoveryProperties recoveryProperties;
    private final TransactionTemplate tx;
    private final AuditTrail audit;

    PaymentService(PaymentRepository payments, OrderService orders, MerchantService merchants, PgRouter router,
            PaymentOutcomes outcomes, PgCaller pg, PaymentRecovery recovery, RecoveryProperties recoveryProperties,
            TransactionTemplate tx, AuditTrail audit) {
        this.payments = payments;
        this.orders = orders;
        this.merchants = merchants;
        this.router = router;
        this.outcomes = outcomes;
        this.pg = pg;
        this.recovery = recovery;
        this.recoveryProperties = recoveryProperties;
        this.tx = tx;
        this.audit = audit;
    }

    static String confirmIdempotencyKey(String paymentKey) {
        return "confirm-" + paymentKey;
    }

    static String cancelIdempotencyKey(long cancelId) {
        return "cancel-" + cancelId;
    }

    /**
     * Confirms at the first PG of the merchant's order that admits calls. The claim records that
     * provider; if the call is not sent (its breaker or bulkhead said no at the last moment, the
     * connection was refused), the claim moves to the next provider, and if none is left it is
     * removed and the answer is 503 PG_UNAVAILABLE: no PG saw anything, nothing here looks like a
     * charge. Once a call may have reached a PG, the payment never moves again.
     */
    public Payment confirm(long merchantId, String paymentKey, String orderId, long amount) {
        Instant deadline = router.deadlineFromNow();
        List<String> providers = router.orderFor(merchants.pgProviders(merchantId));
        Optional<PgProvider> target = router.firstAdmitting(providers);
        long vat = Won.vatIncludedIn(amount);
        // the claim looks the order up itself; only a claim that fails asks why
        Optional<Long> claimed = target.flatMap(pg -> payments.claim(merchantId, orderId, paymentKey, pg.provider(),
                amount, amount - vat, vat, recoveryProperties.staleAfter()));
        if (claimed.isEmpty()) {
            Order order = orders.get(merchantId, orderId);
            if (amount != order.totalAmount()) {
                throw new ApiException(ErrorCode.INVALID_AMOUNT,
                        "amount " + amount + " does not match the total " + order.totalAmount() + " of order " + orderId);
            }
            if (target.isEmpty() && payments.findByPaymentKey(paymentKey).isEmpty()) {
                throw pgUnavailable(providers);
            }
            // an attempt of this paymentKey exists: it stays with the provider it went to
            Payment existing = resumeExisting(merchantId, order, paymentKey);
            return applyConfirm(confirmAt(existing.id(), existing.pgProvider(), deadline, paymentKey, orderId, amount));
        }
        long paymentId = claimed.get();
        String provider = target.get().provider();
        PgCaller.PgCall call = confirmAt(paymentId, provider, deadline, paymentKey, orderId, amount);
        while (call.notSent()) {
            Optional<PgProvider> next = router.firstAdmitting(router.after(providers, provider));
            if (next.isEmpty()) {
                payments.removeUnsentClaim(paymentId);
                throw pgUnavailable(providers);
            }
            provider = next.get().provider();
            payments.moveUnsentClaim(paymentId, provider);
            call = confirmAt(paymentId, provider, deadline, paymentKey, orderId, amount);
        }
        return applyConfirm(call);
    }

    private PgCaller.PgCall confirmAt(long paymentId, String provider, Instant deadline, String paymentKey, String orderId, long amount) {
        return pg.call(paymentId, provider, deadline, "CONFIRM", confirmIdempotencyKey(paymentKey),
                client -> client.confirm(paymentKey, orderId, amount, confirmIdempotencyKey(paymentKey)));
    }

    private Payment applyConfirm(PgCaller.PgCall call) {
        Optional<Payment> approved = outcomes.applyPaymentResult(call, true, recoveryProperties.initialBackoff());
        PgResult<PgPayment> result = call.result();
        if (result instanceof PgResult.Declined<PgPayment> declined && !declined.code().equals("ALREADY_PROCESSED_PAYMENT")) {
            throw new ApiException(declined.httpStatus() == 403 ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST,
                    declined.code(), declined.message());
        }
        return approved.orElseGet(() -> payments.get(call.paymentId()));
    }

    private PgUnavailableException pgUnavailable(List<String> providers) {
        return new PgUnavailableException("no PG can take payments now (" + String.join(", ", providers)
                + "): nothing was charged, try again later", router.retryAfter(providers));
    }

    /** The claim lost: to a payment of this order that is finished, or one whose outcome is open. */
    private Payment resumeExisting(long merchantId, Order order, String paymentKey) {
        Payment existing = payments.findByPaymentKey(paymentKey)
                .filter(payment -> payment.merchantId() == merchantId && payment.orderPk() == order.id())
                .orElseThrow(() -> new ApiException(ErrorCode.ALREADY_PROCESSED_PAYMENT,
                        "order " + order.orderId() + " already has a payment, or paymentKey " + paymentKey + " is used"));
        if (existing.status().approved() || existing.status() == PaymentStatus.ABORTED) {
            throw new ApiException(ErrorCode.ALREADY_PROCESSED_PAYMENT,
                    "payment " + paymentKey + " is already " + existing.status());
        }
        OffsetDateTime staleBefore = OffsetDateTime.now().minus(recoveryProperties.staleAfter());
        if (!payments.takeOver(existing.id(), staleBefore, recoveryProperties.staleAfter())) {
            throw new ApiException(ErrorCode.PAYMENT_IN_PROGRESS, "payment " + paymentKey + " is being confirmed right now");
        }
        return existing;
    }

    public Payment get(long merchantId, String paymentKey) {
        return payments.findByPaymentKey(merchantId, paymentKey)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_PAYMENT, "no payment " + paymentKey));
    }

    /** Toss's GET /v1/payments/orders/{orderId}: the order's live payment, else its latest declined attempt. */
    public Payment getByOrderId(long merchantId, String orderId) {
        return payments.findLatestByOrderId(merchantId, orderId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_PAYMENT, "no payment for order " + orderId));
    }

    /** Finance's view: any merchant's payment. */
    public Payment get(String paymentKey) {
        return payments.findByPaymentKey(paymentKey)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND_PAYMENT, "no payment " + paymentKey));
    }

    /** The ledger transactions a payment caused, as (type, reference): its approval and each cancel. */
    public List<LedgerReference> ledgerReferences(Payment payment) {
        List<LedgerReference> references = new ArrayList<>();
        references.add(new LedgerReference(PaymentPostings.PAYMENT_APPROVED, payment.paymentKey()));
        payment.cancels().forEach(cancel -> references.add(
                new LedgerReference(PaymentPostings.PAYMENT_CANCELED, PaymentPostings.cancelReference(cancel.cancelId()))));
        return references;
    }

    /**
     * Cancels all or part of a payment: an amount, item quantities, or (neither) what is left.
     * The balance is reserved under the payment's row lock, so concurrent cancels never exceed it.
     */
    public CancelResult cancel(long merchantId, String paymentKey, CancelCommand command) {
        Instant deadline = router.deadlineFromNow();
        Payment payment = get(merchantId, paymentKey);
        if (!router.provider(payment.pgProvider()).admitsCalls()) {
            // refuse before reserving anything: a cancel goes only to the PG that took the payment
            throw pgUnavailable(List.of(payment.pgProvider()));
        }
        if (payment.status() == PaymentStatus.UNKNOWN || payment.status() == PaymentStatus.IN_PROGRESS) {
            recovery.resolve(payment.id(), deadline);
            payment = get(merchantId, paymentKey);
            if (!payment.status().approved()) {
                throw new ApiException(payment.status() == PaymentStatus.ABORTED ? ErrorCode.NOT_CANCELABLE_PAYMENT : ErrorCode.PAYMENT_OUTCOME_UNKNOWN,
                        "payment " + paymentKey + " is " + payment.status() + " at the PG; it cannot be cancelled now");
            }
        }
        if (payment.status() == PaymentStatus.ABORTED) {
            throw new ApiException(ErrorCode.NOT_CANCELABLE_PAYMENT, "payment " + paymentKey + " was never approved");
        }
        long paymentId = payment.id();
        Reservation reservation = tx.execute(status -> reserve(paymentId, command));
        PgCaller.PgCall call = pg.call(paymentId, payment.pgProvider(), deadline, "CANCEL", cancelIdempotencyKey(reservation.cancelId()),
                client -> client.cancel(paymentKey, reservation.amount(), command.cancelReason(),
                        cancelIdempotencyKey(reservation.cancelId())));
        outcomes.applyCancelResult(reservation.cancelId(), call, recoveryProperties.initialBackoff());
        PgResult<PgPayment> result = call.result();
        if (result instanceof PgResult.Declined<PgPayment> declined) {
            throw new ApiException(HttpStatus.BAD_REQUEST, declined.code(), declined.message());
        }
        return new CancelResult(payments.get(paymentId), reservation.cancelId());
    }

    private Reservation reserve(long paymentId, CancelCommand command) {
        Payment payment = payments.lockForCancel(paymentId);
        if (payment.balanceAmount() == 0) {
            throw new ApiException(ErrorCode.ALREADY_CANCELED_PAYMENT, "payment " + payment.paymentKey() + " has nothing left to cancel");
        }
        List<PaymentRepository.CancelItemAmount> items = new ArrayList<>();
        long amount;
        if (!command.items().isEmpty()) {
            if (command.cancelAmount() != null) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "give cancelAmount or items, not both");
            }
            Order order = orders.getById(payment.orderPk());
            amount = 0;
            Set<Long> seen = new HashSet<>();
            for (OrderService.ItemQuantity wanted : command.items()) {
                if (!seen.add(wanted.itemId())) {
                    throw new ApiException(ErrorCode.INVALID_REQUEST, "item " + wanted.itemId() + " is listed twice");
                }
                Order.Item item = order.items().stream().filter(candidate -> candidate.itemId() == wanted.itemId()).findFirst()
                        .orElseThrow(() -> new ApiException(ErrorCode.INVALID_REQUEST,
                                "order " + order.orderId() + " has no item " + wanted.itemId()));
                long itemAmount = Math.multiplyExact(item.unitPrice(), wanted.quantity());
                amount = Math.addExact(amount, itemAmount);
                items.add(new PaymentRepository.CancelItemAmount(item.itemId(), wanted.quantity(), itemAmount));
            }
            orders.cancelQuantities(order, command.items());
        } else {
            amount = Optional.ofNullable(command.cancelAmount()).orElse(payment.balanceAmount());
        }
        if (amount <= 0) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the amount to cancel must be positive, was " + amount);
        }
        if (amount > payment.balanceAmount()) {
            throw new ApiException(ErrorCode.EXCEED_CANCEL_AMOUNT, "cancel of " + amount + " won exceeds the cancelable balance "
                    + payment.balanceAmount() + " won of payment " + payment.paymentKey());
        }
        payments.changeBalance(paymentId, -amount);
        long cancelId = payments.insertCancel(paymentId, amount, command.cancelReason(), recoveryProperties.staleAfter());
        payments.insertCancelItems(cancelId, items);
        // who asked for the refund (a merchant's key, a finance user in the console), with the reservation
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("balanceAmount", payment.balanceAmount() - amount);
        after.put("cancelId", cancelId);
        after.put("cancelAmount", amount);
        after.put("cancelReason", command.cancelReason());
        audit.record("PAYMENT_CANCEL_REQUESTED", "PAYMENT", payment.paymentKey(), Map.of("balanceAmount", payment.balanceAmount()), after);
        return new Reservation(cancelId, amount);
    }

    public record CancelCommand(String cancelReason, Long cancelAmount, List<OrderService.ItemQuantity> items) {

        public CancelCommand {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** The payment after the cancel, and which of its cancels this one was. */
    public record CancelResult(Payment payment, long cancelId) {

        /** Whether the PG's answer to this cancel is still open (it will be sent again until it is known). */
        public boolean outcomeOpen() {
            return payment.cancels().stream().anyMatch(cancel -> cancel.cancelId() == cancelId
                    && (cancel.status() == Payment.CancelStatus.UNKNOWN || cancel.status() == Payment.CancelStatus.IN_PROGRESS));
        }
    }

    public record LedgerReference(String type, String reference) {
    }

    private record Reservation(long cancelId, long amount) {
    }
}
