package io.unbreakable.payments.payout;

import io.unbreakable.payments.ledger.LedgerPosting;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.ledger.PayoutPostings;
import io.unbreakable.payments.webhook.WebhookOutbox;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way a payout changes status (the console, the admin API and the payout jobs all come here).
 * Each change is a conditional update from the statuses {@link PayoutStatus#reachableFrom} allows; its
 * money moves through {@link LedgerService} ({@link PayoutPostings}) and its PAYOUT_STATUS_CHANGED event
 * goes to {@link WebhookOutbox}, both in the same transaction. A payout that is no longer where the change
 * expects it is left alone and not returned, so a change raced by another (a second run, a finance click)
 * happens once and is told once.
 */
public class PayoutLifecycle {

    private final DSLContext db;
    private final LedgerService ledger;
    private final WebhookOutbox webhooks;

    public PayoutLifecycle(DSLContext db, LedgerService ledger, WebhookOutbox webhooks) {
        this.db = db;
        this.ledger = ledger;
        this.webhooks = webhooks;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<PayoutMove> transition(PayoutTransition transition) {
        return transition(List.of(transition)).stream().findFirst();
    }

    /**
     * Applies the transitions that are allowed from each payout's current status, with their postings and
     * one PAYOUT_STATUS_CHANGED event per move for the merchants who take it, in the caller's transaction:
     * one UPDATE per target status, one ledger write and one outbox write for all. Returns the moves made
     * (payouts in another status are skipped, and no event tells of them).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<PayoutMove> transition(List<PayoutTransition> transitions) {
        Map<PayoutStatus, List<PayoutTransition>> byTarget = new EnumMap<>(PayoutStatus.class);
        Set<Long> seen = new HashSet<>();
        for (PayoutTransition t : transitions) {
            if (!seen.add(t.payoutId())) {
                // two steps of one payout in one call would depend on the order of the updates: one per call
                throw new IllegalArgumentException("payout " + t.payoutId() + " appears twice in one transition call");
            }
            byTarget.computeIfAbsent(t.to(), to -> new ArrayList<>()).add(t);
        }
        List<PayoutMove> moves = new ArrayList<>();
        byTarget.forEach((to, group) -> moves.addAll(move(to, group)));
        ledger.postAll(moves.stream().map(PayoutLifecycle::posting).flatMap(Optional::stream).toList());
        webhooks.payoutsChanged(moves.stream().collect(Collectors.toMap(PayoutMove::payoutId, PayoutMove::merchantId)));
        return moves;
    }

    private List<PayoutMove> move(PayoutStatus to, List<PayoutTransition> group) {
        // ids in order: two runs locking the same payouts lock them in the same order
        List<PayoutTransition> sorted = group.stream().sorted(java.util.Comparator.comparingLong(PayoutTransition::payoutId)).toList();
        String[] from = to.reachableFrom().stream().map(Enum::name).toArray(String[]::new);
        return db.fetch("""
                with change as (
                    select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])
                                  as c(payout_id, reason, message, gateway, transfer_file)),
                before as (
                    select p.id, p.status from payout p join change c on c.payout_id = p.id
                     where p.status = any(?::text[])
                     order by p.id
                       for update of p)
                update payout p
                   set status = ?,
                       status_reason = c.reason,
                       status_message = c.message,
                       attempt = case when ? then p.attempt + 1 else p.attempt end,
                       gateway = coalesce(c.gateway, p.gateway),
                       transfer_file = case when ? then c.transfer_file else p.transfer_file end,
                       requested_at = case when ? then now() else p.requested_at end,
                       paid_at = case when ? then now() else p.paid_at end,
                       bank_code = case when ? then m.payout_bank_code else p.bank_code end,
                       account_number = case when ? then m.payout_account_number else p.account_number end,
                       account_holder = case when ? then m.payout_account_holder else p.account_holder end,
                       updated_at = now()
                  from before b, change c, merchant m
                 where p.id = b.id and c.payout_id = p.id and m.id = p.merchant_id
                returning p.id, p.merchant_id, p.amount, p.attempt, b.status as from_status, p.status_reason
                """,
                sorted.stream().map(PayoutTransition::payoutId).toArray(Long[]::new),
                sorted.stream().map(PayoutTransition::reason).toArray(String[]::new),
                sorted.stream().map(PayoutTransition::message).toArray(String[]::new),
                sorted.stream().map(t -> t.gateway() == null ? null : t.gateway().name()).toArray(String[]::new),
                sorted.stream().map(PayoutTransition::transferFile).toArray(String[]::new),
                from, to.name(),
                to == PayoutStatus.REQUESTED, to == PayoutStatus.REQUESTED, to == PayoutStatus.REQUESTED, to == PayoutStatus.PAID,
                to == PayoutStatus.REQUESTED, to == PayoutStatus.REQUESTED, to == PayoutStatus.REQUESTED)
                .map(row -> new PayoutMove(row.get("id", Long.class), row.get("merchant_id", Long.class), row.get("amount", Long.class),
                        row.get("attempt", Integer.class), PayoutStatus.valueOf(row.get("from_status", String.class)), to,
                        row.get("status_reason", String.class)));
    }

    /** The money of a move: request, paid, failed and retry move it; holds, releases and UNKNOWN do not. */
    private static Optional<LedgerPosting> posting(PayoutMove move) {
        return switch (move.to()) {
            case REQUESTED -> Optional.of(PayoutPostings.requested(move.payoutId(), move.attempt(), move.amountWon()));
            case PAID -> Optional.of(PayoutPostings.paid(move.payoutId(), move.attempt(), move.amountWon()));
            case FAILED -> Optional.of(PayoutPostings.failed(move.payoutId(), move.attempt(), move.merchantId(), move.amountWon(),
                    move.reason()));
            case SCHEDULED -> Optional.of(PayoutPostings.retried(move.payoutId(), move.attempt(), move.merchantId(), move.amountWon()));
            case HELD, RELEASED, UNKNOWN -> Optional.empty();
        };
    }
}
