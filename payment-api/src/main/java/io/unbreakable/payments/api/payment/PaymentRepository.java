package io.unbreakable.payments.api.payment;

import io.unbreakable.payments.payment.PaymentStatus;
import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.payment.PaymentReads;
import static io.unbreakable.payments.db.DatabaseTime.nowPlus;
import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL_ITEM;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.when;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;

import io.unbreakable.payments.api.order.OrderService;
import io.unbreakable.payments.pg.PgMessages;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.db.jooq.tables.records.PaymentCancelItemRecord;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep4;
import org.jooq.Record;
import org.jooq.impl.SQLDataType;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PaymentRepository {

    /** Claimed or unknown: the PG's answer is still to be applied. Only these rows may change outcome. */
    private static final Condition PAYMENT_OUTCOME_OPEN =
            PAYMENT.STATUS.in(PaymentStatus.IN_PROGRESS.name(), PaymentStatus.UNKNOWN.name());
    private static final Condition CANCEL_OUTCOME_OPEN =
            PAYMENT_CANCEL.STATUS.in(Payment.CancelStatus.IN_PROGRESS.name(), Payment.CancelStatus.UNKNOWN.name());
    /** The columns markApproved returns, in its order: mapped by these fields, no type inference per row. */
    private static final Field<?>[] PAYMENT_ROW = PaymentReads.PAYMENT_ROW.toArray(Field<?>[]::new);

    private final DSLContext db;
    /**
     * The confirm's hot statements (claim, approval, PG call row) as constant SQL through JDBC: a jOOQ plain-SQL
     * template is parsed, and a fetch's column types read from the result's metadata, on every call, which cost
     * more than the statements' JDBC work (docs/benchmarks.md, 2026-12-08). Rows still map through jOOQ's fields.
     */
    private final JdbcClient jdbc;

    private final PaymentReads reads;

    PaymentRepository(DSLContext db, JdbcClient jdbc) {
        this.db = db;
        this.jdbc = jdbc;
        this.reads = new PaymentReads(db);
    }

    /**
     * Claims the merchant's order for this paymentKey (IN_PROGRESS) before the PG is called, in one
     * statement that also looks the order up: empty when there is no such order, its total is not
     * {@code totalAmount}, the key is taken or the order already has a live payment (the unique
     * indexes decide races, not code). The caller tells these apart only when it is empty.
     */
    Optional<Long> claim(long merchantId, String orderId, String paymentKey, String provider, long totalAmount,
            long suppliedAmount, long vat, Duration staleAfter) {
        // if this process dies mid-call, the recovery poller finds the claim due after staleAfter
        return jdbc.sql("""
                insert into payment (payment_key, merchant_id, order_pk, status, pg_provider, total_amount, balance_amount,
                                     supplied_amount, vat, next_inquiry_at)
                select ?, o.merchant_id, o.id, 'IN_PROGRESS', ?, o.total_amount, o.total_amount, ?, ?,
                       now() + ? * interval '1 millisecond'
                  from orders o
                 where o.merchant_id = ? and o.order_id = ? and o.total_amount = ?
                   -- an order written by a billing-key charge is paid by that charge only
                   and not exists (select 1 from billing_charge b where b.order_pk = o.id)
                on conflict do nothing
                returning id
                """)
                .params(paymentKey, provider, suppliedAmount, vat, staleAfter.toMillis(), merchantId, orderId, totalAmount)
                .query(Long.class).optional();
    }

    Optional<Payment> findByPaymentKey(long merchantId, String paymentKey) {
        return find(PAYMENT.MERCHANT_ID.eq(merchantId).and(PAYMENT.PAYMENT_KEY.eq(paymentKey)));
    }

    /**
     * The order's payment a client means by "the payment of this order": the live one (at most one:
     * payment_one_live_per_order), else the latest declined attempt.
     */
    Optional<Payment> findLatestByOrderId(long merchantId, String orderId) {
        return db.select(PaymentReads.PAYMENT_ROW).select(PaymentReads.CANCELS)
                .from(PAYMENT).join(ORDERS).on(ORDERS.ID.eq(PAYMENT.ORDER_PK))
                .where(ORDERS.MERCHANT_ID.eq(merchantId)).and(ORDERS.ORDER_ID.eq(orderId))
                .orderBy(PAYMENT.STATUS.eq(PaymentStatus.ABORTED.name()), PAYMENT.ID.desc())
                .limit(1)
                .fetchOptional(record -> PaymentReads.toPayment(record, record.get(PaymentReads.CANCELS)));
    }

    Optional<Payment> findByPaymentKey(String paymentKey) {
        return find(PAYMENT.PAYMENT_KEY.eq(paymentKey));
    }

    Payment get(long paymentId) {
        return find(PAYMENT.ID.eq(paymentId)).orElseThrow(() -> new IllegalStateException("payment " + paymentId + " vanished"));
    }

    /**
     * Takes a payment over for a new PG attempt: an UNKNOWN one, or an IN_PROGRESS one whose owner
     * stopped touching it before {@code staleBefore}. Only one caller wins.
     */
    boolean takeOver(long paymentId, OffsetDateTime staleBefore, Duration staleAfter) {
        return db.update(PAYMENT)
                .set(PAYMENT.STATUS, PaymentStatus.IN_PROGRESS.name())
                .set(PAYMENT.UPDATED_AT, currentOffsetDateTime())
                .set(PAYMENT.NEXT_INQUIRY_AT, nowPlus(staleAfter))
                .where(PAYMENT.ID.eq(paymentId))
                .and(PAYMENT.STATUS.eq(PaymentStatus.UNKNOWN.name())
                        .or(PAYMENT.STATUS.eq(PaymentStatus.IN_PROGRESS.name()).and(PAYMENT.UPDATED_AT.lt(staleBefore))))
                .execute() == 1;
    }

    /**
     * Marks an open payment of {@code totalAmount} approved and returns it as it is now (it has no
     * cancels: only approved payments take them). Empty when its outcome was applied already or the
     * amount differs: the caller reads the row to tell which.
     */
    Optional<Payment> markApproved(long paymentId, long totalAmount, String method, OffsetDateTime approvedAt) {
        return jdbc.sql("""
                update payment p
                   set status = 'DONE', method = ?, approved_at = ?::timestamptz, next_inquiry_at = null, failure_code = null,
                       failure_message = null, updated_at = now()
                  from orders o
                 where p.id = ? and p.status in ('IN_PROGRESS', 'UNKNOWN') and p.total_amount = ? and o.id = p.order_pk
                returning p.id, p.payment_key, p.merchant_id, p.order_pk, o.order_id, o.order_name, p.status, p.pg_provider,
                          p.method, p.total_amount, p.balance_amount, p.supplied_amount, p.vat, p.requested_at, p.approved_at,
                          p.updated_at, p.failure_code, p.failure_message
                """)
                .params(new SqlParameterValue(Types.VARCHAR, method), approvedAt, paymentId, totalAmount)
                .query((ResultSetExtractor<Optional<Payment>>) rows -> db.fetch(rows, PAYMENT_ROW).stream().findFirst()
                        .map(record -> PaymentReads.toPayment(record, List.of())));
    }

    boolean markAborted(long paymentId, String code, String message) {
        return db.update(PAYMENT)
                .set(PAYMENT.STATUS, PaymentStatus.ABORTED.name())
                .set(PAYMENT.FAILURE_CODE, code)
                .set(PAYMENT.FAILURE_MESSAGE, PgMessages.storable(message))
                .set(PAYMENT.NEXT_INQUIRY_AT, (OffsetDateTime) null)
                .set(PAYMENT.UPDATED_AT, currentOffsetDateTime())
                .where(PAYMENT.ID.eq(paymentId))
                .and(PAYMENT_OUTCOME_OPEN)
                .execute() == 1;
    }

    void markUnknown(long paymentId, String reason, Duration retryAfter) {
        db.update(PAYMENT)
                .set(PAYMENT.STATUS, PaymentStatus.UNKNOWN.name())
                .set(PAYMENT.FAILURE_CODE, "PG_OUTCOME_UNKNOWN")
                .set(PAYMENT.FAILURE_MESSAGE, PgMessages.storable(reason))
                .set(PAYMENT.NEXT_INQUIRY_AT, nowPlus(retryAfter))
                .set(PAYMENT.INQUIRY_ATTEMPTS, PAYMENT.INQUIRY_ATTEMPTS.plus(1))
                .set(PAYMENT.UPDATED_AT, currentOffsetDateTime())
                .where(PAYMENT.ID.eq(paymentId))
                .and(PAYMENT_OUTCOME_OPEN)
                .execute();
    }

    /** Gives a claim that no PG saw to another provider (the first one refused before anything was sent). */
    void moveUnsentClaim(long paymentId, String provider) {
        db.update(PAYMENT)
                .set(PAYMENT.PG_PROVIDER, provider)
                .set(PAYMENT.UPDATED_AT, currentOffsetDateTime())
                .where(PAYMENT.ID.eq(paymentId))
                .and(PAYMENT.STATUS.eq(PaymentStatus.IN_PROGRESS.name()))
                .execute();
    }

    /** Removes a claim that no PG saw: no provider could take it, so nothing of it may remain. */
    void removeUnsentClaim(long paymentId) {
        db.deleteFrom(PAYMENT)
                .where(PAYMENT.ID.eq(paymentId))
                .and(PAYMENT.STATUS.eq(PaymentStatus.IN_PROGRESS.name()))
                .execute();
    }

    /** Puts an open payment back in the queue without counting an attempt: its PG was not asked. */
    void postponeInquiry(long paymentId, Duration delay) {
        db.update(PAYMENT)
                .set(PAYMENT.NEXT_INQUIRY_AT, nowPlus(delay))
                .where(PAYMENT.ID.eq(paymentId))
                .and(PAYMENT_OUTCOME_OPEN)
                .execute();
    }

    void postponeCancelRetry(long cancelId, Duration delay) {
        db.update(PAYMENT_CANCEL)
                .set(PAYMENT_CANCEL.NEXT_RETRY_AT, nowPlus(delay))
                .where(PAYMENT_CANCEL.ID.eq(cancelId))
                .and(CANCEL_OUTCOME_OPEN)
                .execute();
    }

    /**
     * Hands out up to {@code limit} payments of these providers whose outcome is open and due, leasing
     * them for {@code lease} so that other API instances skip them (SKIP LOCKED: no double inquiries).
     * Payments of a provider whose circuit is open wait in the table, not in a retry loop.
     */
    List<DueItem> leaseDuePayments(int limit, Duration lease, Collection<String> providers) {
        return db.update(PAYMENT)
                .set(PAYMENT.NEXT_INQUIRY_AT, nowPlus(lease))
                .where(PAYMENT.ID.in(select(PAYMENT.ID).from(PAYMENT)
                        .where(PAYMENT_OUTCOME_OPEN)
                        .and(PAYMENT.NEXT_INQUIRY_AT.le(currentOffsetDateTime()))
                        .and(PAYMENT.PG_PROVIDER.in(providers))
                        .orderBy(PAYMENT.NEXT_INQUIRY_AT)
                        .limit(limit)
                        .forUpdate().skipLocked()))
                .returning(PAYMENT.ID, PAYMENT.INQUIRY_ATTEMPTS)
                .fetch(record -> new DueItem(record.get(PAYMENT.ID), record.get(PAYMENT.INQUIRY_ATTEMPTS)));
    }

    List<DueItem> leaseDueCancels(int limit, Duration lease, Collection<String> providers) {
        return db.update(PAYMENT_CANCEL)
                .set(PAYMENT_CANCEL.NEXT_RETRY_AT, nowPlus(lease))
                .where(PAYMENT_CANCEL.ID.in(select(PAYMENT_CANCEL.ID).from(PAYMENT_CANCEL)
                        .where(CANCEL_OUTCOME_OPEN)
                        .and(PAYMENT_CANCEL.NEXT_RETRY_AT.le(currentOffsetDateTime()))
                        .and(PAYMENT_CANCEL.PAYMENT_ID.in(select(PAYMENT.ID).from(PAYMENT).where(PAYMENT.PG_PROVIDER.in(providers))))
                        .orderBy(PAYMENT_CANCEL.NEXT_RETRY_AT)
                        .limit(limit)
                        .forUpdate().skipLocked()))
                .returning(PAYMENT_CANCEL.ID, PAYMENT_CANCEL.RETRY_ATTEMPTS)
                .fetch(record -> new DueItem(record.get(PAYMENT_CANCEL.ID), record.get(PAYMENT_CANCEL.RETRY_ATTEMPTS)));
    }

    /** Locks the payment row: cancels of one payment reserve its balance one at a time. */
    Payment lockForCancel(long paymentId) {
        db.select(PAYMENT.ID).from(PAYMENT).where(PAYMENT.ID.eq(paymentId)).forUpdate().execute();
        return get(paymentId);
    }

    void changeBalance(long paymentId, long deltaWon) {
        db.update(PAYMENT)
                .set(PAYMENT.BALANCE_AMOUNT, PAYMENT.BALANCE_AMOUNT.plus(deltaWon))
                .set(PAYMENT.UPDATED_AT, currentOffsetDateTime())
                .where(PAYMENT.ID.eq(paymentId))
                .execute();
    }

    long insertCancel(long paymentId, long cancelAmount, String cancelReason, Duration staleAfter) {
        return db.insertInto(PAYMENT_CANCEL)
                .set(PAYMENT_CANCEL.PAYMENT_ID, paymentId)
                .set(PAYMENT_CANCEL.STATUS, Payment.CancelStatus.IN_PROGRESS.name())
                .set(PAYMENT_CANCEL.CANCEL_AMOUNT, cancelAmount)
                .set(PAYMENT_CANCEL.CANCEL_REASON, cancelReason)
                .set(PAYMENT_CANCEL.NEXT_RETRY_AT, nowPlus(staleAfter))
                .returning(PAYMENT_CANCEL.ID)
                .fetchSingle(PAYMENT_CANCEL.ID);
    }

    void insertCancelItems(long cancelId, List<CancelItemAmount> items) {
        if (items.isEmpty()) {
            return;
        }
        InsertValuesStep4<PaymentCancelItemRecord, Long, Long, Integer, Long> insert = db.insertInto(PAYMENT_CANCEL_ITEM,
                PAYMENT_CANCEL_ITEM.CANCEL_ID, PAYMENT_CANCEL_ITEM.ORDER_ITEM_ID, PAYMENT_CANCEL_ITEM.QUANTITY, PAYMENT_CANCEL_ITEM.AMOUNT);
        for (CancelItemAmount item : items) {
            insert = insert.values(cancelId, item.itemId(), item.quantity(), item.amount());
        }
        insert.execute();
    }

    Optional<CancelRow> findCancel(long cancelId) {
        return db.select(PAYMENT_CANCEL.ID, PAYMENT_CANCEL.PAYMENT_ID, PAYMENT_CANCEL.STATUS, PAYMENT_CANCEL.CANCEL_AMOUNT,
                        PAYMENT_CANCEL.CANCEL_REASON)
                .from(PAYMENT_CANCEL).where(PAYMENT_CANCEL.ID.eq(cancelId))
                .fetchOptional(record -> new CancelRow(record.value1(), record.value2(),
                        Payment.CancelStatus.valueOf(record.value3()), record.value4(), record.value5()));
    }

    List<OrderService.ItemQuantity> cancelItems(long cancelId) {
        return db.select(PAYMENT_CANCEL_ITEM.ORDER_ITEM_ID, PAYMENT_CANCEL_ITEM.QUANTITY).from(PAYMENT_CANCEL_ITEM)
                .where(PAYMENT_CANCEL_ITEM.CANCEL_ID.eq(cancelId))
                .fetch(record -> new OrderService.ItemQuantity(record.value1(), record.value2()));
    }

    boolean markCancelDone(long cancelId, String transactionKey, OffsetDateTime canceledAt) {
        return db.update(PAYMENT_CANCEL)
                .set(PAYMENT_CANCEL.STATUS, Payment.CancelStatus.DONE.name())
                .set(PAYMENT_CANCEL.TRANSACTION_KEY, transactionKey)
                .set(PAYMENT_CANCEL.CANCELED_AT, canceledAt)
                .set(PAYMENT_CANCEL.NEXT_RETRY_AT, (OffsetDateTime) null)
                .set(PAYMENT_CANCEL.FAILURE_CODE, (String) null)
                .set(PAYMENT_CANCEL.FAILURE_MESSAGE, (String) null)
                .where(PAYMENT_CANCEL.ID.eq(cancelId))
                .and(CANCEL_OUTCOME_OPEN)
                .execute() == 1;
    }

    boolean markCancelAborted(long cancelId, String code, String message) {
        return db.update(PAYMENT_CANCEL)
                .set(PAYMENT_CANCEL.STATUS, Payment.CancelStatus.ABORTED.name())
                .set(PAYMENT_CANCEL.FAILURE_CODE, code)
                .set(PAYMENT_CANCEL.FAILURE_MESSAGE, PgMessages.storable(message))
                .set(PAYMENT_CANCEL.NEXT_RETRY_AT, (OffsetDateTime) null)
                .where(PAYMENT_CANCEL.ID.eq(cancelId))
                .and(CANCEL_OUTCOME_OPEN)
                .execute() == 1;
    }

    void markCancelUnknown(long cancelId, String reason, Duration retryAfter) {
        db.update(PAYMENT_CANCEL)
                .set(PAYMENT_CANCEL.STATUS, Payment.CancelStatus.UNKNOWN.name())
                .set(PAYMENT_CANCEL.FAILURE_CODE, "PG_OUTCOME_UNKNOWN")
                .set(PAYMENT_CANCEL.FAILURE_MESSAGE, PgMessages.storable(reason))
                .set(PAYMENT_CANCEL.NEXT_RETRY_AT, nowPlus(retryAfter))
                .set(PAYMENT_CANCEL.RETRY_ATTEMPTS, PAYMENT_CANCEL.RETRY_ATTEMPTS.plus(1))
                .where(PAYMENT_CANCEL.ID.eq(cancelId))
                .and(CANCEL_OUTCOME_OPEN)
                .execute();
    }

    /** The payment's status from its completed cancels: all of it = CANCELED, some = PARTIAL_CANCELED. */
    void refreshStatusFromCancels(long paymentId) {
        Field<Long> canceled = select(coalesce(sum(PAYMENT_CANCEL.CANCEL_AMOUNT), inline(BigDecimal.ZERO)).cast(SQLDataType.BIGINT))
                .from(PAYMENT_CANCEL)
                .where(PAYMENT_CANCEL.PAYMENT_ID.eq(PAYMENT.ID)).and(PAYMENT_CANCEL.STATUS.eq(Payment.CancelStatus.DONE.name()))
                .asField();
        db.update(PAYMENT)
                .set(PAYMENT.STATUS, when(canceled.eq(PAYMENT.TOTAL_AMOUNT), inline(PaymentStatus.CANCELED.name()))
                        .when(canceled.gt(0L), inline(PaymentStatus.PARTIAL_CANCELED.name()))
                        .otherwise(inline(PaymentStatus.DONE.name())))
                .set(PAYMENT.UPDATED_AT, currentOffsetDateTime())
                .where(PAYMENT.ID.eq(paymentId))
                .execute();
    }

    void logPgCall(PgCaller.PgCall call) {
        String outcome = "SUCCESS";
        Integer httpStatus = 200;
        String errorCode = null;
        if (call.result() instanceof PgResult.Declined<PgPayment> declined) {
            outcome = "FAILURE";
            httpStatus = declined.httpStatus();
            errorCode = declined.code();
        } else if (call.result() instanceof PgResult.Unknown) {
            outcome = "UNKNOWN";
            httpStatus = null;
        }
        jdbc.sql("""
                insert into pg_call (payment_id, pg_provider, operation, idempotency_key, outcome, http_status, error_code, duration_ms)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """)
                .params(call.paymentId(), call.provider(), call.operation(), call.idempotencyKey(), outcome,
                        new SqlParameterValue(Types.INTEGER, httpStatus), new SqlParameterValue(Types.VARCHAR, errorCode),
                        (int) Math.min(Integer.MAX_VALUE, call.durationMs()))
                .update();
    }

    private Optional<Payment> find(Condition condition) {
        return reads.find(condition);
    }

    record DueItem(long id, int attempts) {
    }

    record CancelRow(long cancelId, long paymentId, Payment.CancelStatus status, long cancelAmount, String cancelReason) {
    }

    record CancelItemAmount(long itemId, int quantity, long amount) {
    }
}
