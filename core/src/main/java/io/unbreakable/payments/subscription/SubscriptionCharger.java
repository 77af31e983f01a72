package io.unbreakable.payments.subscription;

import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.pg.PgRouter;
import io.unbreakable.payments.subscription.SubscriptionChargeRepository.ApprovedCharge;
import io.unbreakable.payments.subscription.SubscriptionChargeRepository.DueSubscription;
import io.unbreakable.payments.subscription.SubscriptionChargeRepository.OpenCharge;
import io.unbreakable.payments.time.Seoul;
import io.unbreakable.payments.webhook.WebhookOutbox;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Charges due subscriptions through the PG, exactly once per billing cycle. The one path for every
 * subscription charge: the API's first charge at creation and the renewal job's batches.
 *
 * <p>Three phases per batch, like the payment core's recovery points:
 * <ol>
 *   <li><b>claim</b> (one transaction): lock the still-due subscriptions (SKIP LOCKED) and insert an
 *       IN_PROGRESS attempt per cycle and attempt number (unique); an attempt left open by a crash or
 *       a lost answer is taken over instead of starting a new one;</li>
 *   <li><b>PG calls</b>, {@code concurrency} at a time; the Idempotency-Key is derived from
 *       (subscription, cycle, attempt) and the orderId from (subscription, cycle), so a repeated
 *       call is answered, not executed, by the PG. An open attempt is first looked up by orderId;</li>
 *   <li><b>apply</b> (one transaction): approved attempts become payments with their ledger postings,
 *       declined ones schedule the next retry or suspend, lost answers stay open for the next run.</li>
 * </ol>
 * A crash between any two phases leaves open attempts that the next run resolves; a new attempt of
 * a cycle is only ever created after the previous one was declined, so no cycle is charged twice.
 */
public class SubscriptionCharger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionCharger.class);

    private final SubscriptionChargeRepository charges;
    private final BillingKeyCharges billing;
    private final PgRouter pgs;
    private final TransactionTemplate tx;
    private final ExecutorService pgCalls;
    private final ExecutorService parallelBatches;
    private final SubscriptionProperties properties;
    private final WebhookOutbox webhooks;

    SubscriptionCharger(SubscriptionChargeRepository charges, BillingKeyCharges billing, PgRouter pgs, TransactionTemplate tx,
            ExecutorService pgCalls, ExecutorService parallelBatches, SubscriptionProperties properties, WebhookOutbox webhooks) {
        this.charges = charges;
        this.billing = billing;
        this.pgs = pgs;
        this.tx = tx;
        this.pgCalls = pgCalls;
        this.parallelBatches = parallelBatches;
        this.properties = properties;
        this.webhooks = webhooks;
    }

    @Override
    public void close() {
        parallelBatches.shutdown();
        pgCalls.shutdown();
    }

    static String orderId(long subscriptionId, int cycle) {
        return "sub_" + subscriptionId + "_" + cycle;
    }

    static String idempotencyKey(long subscriptionId, int cycle, int attempt) {
        return "subscription-" + subscriptionId + "-cycle-" + cycle + "-attempt-" + attempt;
    }

    /** Subscription ids due at {@code runAt}, after {@code lastId}, in id order: the renewal job's pages. */
    public List<Long> dueAfter(long lastId, int limit, OffsetDateTime runAt) {
        return charges.dueAfter(lastId, limit, Seoul.time(runAt).toLocalDate(), runAt);
    }

    public int countDue(OffsetDateTime runAt) {
        return charges.countDue(Seoul.time(runAt).toLocalDate(), runAt);
    }

    /**
     * Charges whichever of these subscriptions are due at {@code runAt}; what each came to. Many are
     * charged in batches, several at once, so the database work of one overlaps the others' PG calls.
     */
    public Map<Long, ChargeOutcome> chargeDue(List<Long> subscriptionIds, OffsetDateTime runAt) {
        int batchSize = properties.batchSize();
        if (subscriptionIds.size() <= batchSize) {
            return chargeBatch(subscriptionIds, runAt);
        }
        // batches of distinct merchants: parallel batches then never wait for each other's wallet rows
        List<Long> byMerchant = charges.orderByMerchant(subscriptionIds);
        List<CompletableFuture<Map<Long, ChargeOutcome>>> batches = new ArrayList<>();
        for (int from = 0; from < byMerchant.size(); from += batchSize) {
            List<Long> batch = byMerchant.subList(from, Math.min(from + batchSize, byMerchant.size()));
            batches.add(CompletableFuture.supplyAsync(() -> chargeBatch(batch, runAt), parallelBatches));
        }
        Map<Long, ChargeOutcome> outcomes = new LinkedHashMap<>();
        subscriptionIds.forEach(id -> outcomes.put(id, ChargeOutcome.SKIPPED));
        batches.forEach(batch -> outcomes.putAll(batch.join()));
        return outcomes;
    }

    private Map<Long, ChargeOutcome> chargeBatch(List<Long> subscriptionIds, OffsetDateTime runAt) {
        Map<Long, ChargeOutcome> outcomes = new LinkedHashMap<>();
        subscriptionIds.forEach(id -> outcomes.put(id, ChargeOutcome.SKIPPED));
        long started = System.nanoTime();
        List<ChargeAttempt> attempts = tx.execute(status -> claim(subscriptionIds, runAt, outcomes));
        if (attempts.isEmpty()) {
            return outcomes;
        }
        long claimed = System.nanoTime();
        List<CompletableFuture<PgResult<PgPayment>>> calls = attempts.stream()
                .map(attempt -> CompletableFuture.supplyAsync(() -> call(attempt), pgCalls))
                .toList();
        Map<ChargeAttempt, PgResult<PgPayment>> results = new LinkedHashMap<>();
        for (int i = 0; i < attempts.size(); i++) {
            results.put(attempts.get(i), calls.get(i).join());
        }
        long called = System.nanoTime();
        tx.executeWithoutResult(status -> apply(results, outcomes));
        log.debug("{} attempts: claim {} ms, PG calls {} ms, apply {} ms", attempts.size(), (claimed - started) / 1_000_000,
                (called - claimed) / 1_000_000, (System.nanoTime() - called) / 1_000_000);
        return outcomes;
    }

    private List<ChargeAttempt> claim(List<Long> subscriptionIds, OffsetDateTime runAt, Map<Long, ChargeOutcome> outcomes) {
        List<ChargeAttempt> resumed = new ArrayList<>();
        List<ChargeAttempt> fresh = new ArrayList<>();
        List<Long> endOfPeriod = new ArrayList<>();
        Map<Long, Long> canceled = new HashMap<>();
        for (DueSubscription due : charges.lockDue(subscriptionIds, Seoul.time(runAt).toLocalDate(), runAt, properties.staleAfter())) {
            OpenCharge open = due.openCharge();
            if (open != null) {
                if (!open.fresh()) { // fresh = another live process is calling the PG for it right now
                    resumed.add(ChargeAttempt.resume(due, open));
                }
            } else if (!due.due()) {
                continue; // locked for an open attempt that another run resolved meanwhile
            } else if (due.cancelAtPeriodEnd()) {
                endOfPeriod.add(due.id());
                canceled.put(due.id(), due.merchantId());
            } else {
                int cycle = due.cycleNo() + 1;
                int attempt = due.retryCount() + 1;
                fresh.add(new ChargeAttempt(0, due, cycle, attempt, due.nextBillingDate(), orderId(due.id(), cycle),
                        idempotencyKey(due.id(), cycle, attempt), due.amount(), false));
            }
        }
        charges.cancelAtPeriodEnd(endOfPeriod);
        endOfPeriod.forEach(id -> outcomes.put(id, ChargeOutcome.CANCELED_AT_PERIOD_END));
        webhooks.subscriptionsChanged(canceled);
        charges.leaseOpen(resumed.stream().map(ChargeAttempt::chargeId).toList());
        Map<String, Long> inserted = charges.insertAttempts(fresh);
        List<ChargeAttempt> claimed = new ArrayList<>(resumed);
        for (ChargeAttempt attempt : fresh) {
            Long chargeId = inserted.get(attempt.idempotencyKey());
            if (chargeId != null) {
                claimed.add(attempt.withChargeId(chargeId));
            }
        }
        return claimed;
    }

    private PgResult<PgPayment> call(ChargeAttempt attempt) {
        // a billing key only works at the PG that issued it
        return billing.send(pgs.provider(attempt.subscription().pgProvider()), attempt.charge(), attempt.resuming());
    }

    private void apply(Map<ChargeAttempt, PgResult<PgPayment>> results, Map<Long, ChargeOutcome> outcomes) {
        Map<Long, ChargeAttempt> approvedAttempts = new HashMap<>();
        Map<Long, PgPayment> approvedPayments = new HashMap<>();
        Map<Long, Long> changed = new HashMap<>(); // subscription id -> merchant id, for their webhook events
        results.forEach((attempt, result) -> {
            long subscriptionId = attempt.subscription().id();
            BillingKeyCharges.Outcome outcome = billing.outcome(attempt.charge(), result, attempt.resuming());
            if (outcome instanceof BillingKeyCharges.Approved approved) {
                approvedAttempts.put(attempt.chargeId(), attempt);
                approvedPayments.put(attempt.chargeId(), approved.payment());
            } else if (outcome instanceof BillingKeyCharges.Declined declined) {
                if (declined(attempt, declined.code(), declined.message(), outcomes)) {
                    changed.put(subscriptionId, attempt.subscription().merchantId());
                }
            } else if (outcome instanceof BillingKeyCharges.NotSent) {
                // refused before it left (breaker open, bulkhead full): as if never claimed, due again next run
                charges.deleteUnsent(attempt.chargeId());
                outcomes.put(subscriptionId, ChargeOutcome.SKIPPED);
            } else {
                String reason = ((BillingKeyCharges.Unknown) outcome).reason();
                log.warn("subscription charge {} ({}): outcome unknown ({})", attempt.orderId(), attempt.idempotencyKey(), reason);
                charges.markUnknown(attempt.chargeId(), reason);
                outcomes.put(subscriptionId, ChargeOutcome.UNKNOWN);
            }
        });
        Set<Long> booked = charges.markDone(approvedAttempts.keySet());
        List<ApprovedCharge> approved = new ArrayList<>();
        List<BillingKeyCharges.OneLineOrder> orders = new ArrayList<>();
        for (long chargeId : booked) {
            ChargeAttempt attempt = approvedAttempts.get(chargeId);
            DueSubscription due = attempt.subscription();
            approved.add(new ApprovedCharge(chargeId, due.id(), attempt.cycle(),
                    due.interval().dueDate(due.anchorDate(), attempt.cycle() + 1), approvedPayments.get(chargeId).paymentKey()));
            orders.add(new BillingKeyCharges.OneLineOrder(due.merchantId(), attempt.orderId(), due.planName(), due.customerKey(),
                    attempt.amount(), "SUBSCRIPTION"));
            outcomes.put(due.id(), ChargeOutcome.CHARGED);
            changed.put(due.id(), due.merchantId());
        }
        // a charge's order is written with its approval: sub_ orderIds are ours, no merchant order can hold one
        Map<String, Long> orderPks = billing.writeOrders(orders);
        List<BillingKeyCharges.Booking> bookings = new ArrayList<>();
        for (long chargeId : booked) {
            ChargeAttempt attempt = approvedAttempts.get(chargeId);
            bookings.add(new BillingKeyCharges.Booking(attempt.charge(), orderPks.get(attempt.orderId()), attempt.subscription().pgProvider(),
                    approvedPayments.get(chargeId), attempt.subscription().id()));
        }
        charges.linkPayments(approved, billing.book(bookings));
        webhooks.subscriptionsChanged(changed);
    }

    /**
     * Declined: the next retry on the schedule (days after the cycle's due date, PAST_DUE), or suspended after
     * the last; false when another run applied this answer first.
     */
    private boolean declined(ChargeAttempt attempt, String code, String message, Map<Long, ChargeOutcome> outcomes) {
        boolean last = attempt.attempt() >= properties.lastAttempt();
        OffsetDateTime nextRetryAt = last ? null
                : Seoul.startOf(attempt.dueDate().plusDays(properties.retryDays().get(attempt.attempt() - 1)));
        if (charges.markDeclined(attempt.chargeId(), attempt.subscription().id(), attempt.attempt(), nextRetryAt, code, message)) {
            outcomes.put(attempt.subscription().id(), last ? ChargeOutcome.SUSPENDED : ChargeOutcome.FAILED_WILL_RETRY);
            return true;
        }
        return false;
    }

    /** One attempt at one billing cycle; {@code resuming} = an open attempt taken over. */
    record ChargeAttempt(long chargeId, DueSubscription subscription, int cycle, int attempt, LocalDate dueDate, String orderId,
            String idempotencyKey, long amount, boolean resuming) {

        static ChargeAttempt resume(DueSubscription due, OpenCharge open) {
            return new ChargeAttempt(open.id(), due, open.cycle(), open.attempt(), open.dueDate(), open.orderId(),
                    open.idempotencyKey(), open.amount(), true);
        }

        ChargeAttempt withChargeId(long id) {
            return new ChargeAttempt(id, subscription, cycle, attempt, dueDate, orderId, idempotencyKey, amount, resuming);
        }

        BillingKeyCharges.Charge charge() {
            return new BillingKeyCharges.Charge(subscription.merchantId(), subscription.billingKey(), subscription.customerKey(), amount,
                    orderId, subscription.planName(), idempotencyKey);
        }
    }
}
