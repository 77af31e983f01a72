package io.unbreakable.payments.api.pages;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ACCOUNT;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PG_CALL;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT_LINE;
import static io.unbreakable.payments.db.jooq.Tables.WALLET;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;

import io.unbreakable.payments.api.payment.PaymentService;
import io.unbreakable.payments.db.jooq.tables.Payment;
import io.unbreakable.payments.time.Seoul;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Repository;

/** What the console and the portal list: read-only queries, each one statement, each scoped by its caller. */
@Repository
public class PagesRepository {

    private static final Field<List<LedgerEntryRow>> ENTRIES = multiset(
            select(LEDGER_ACCOUNT.CODE, LEDGER_ENTRY.SIDE, LEDGER_ENTRY.AMOUNT)
                    .from(LEDGER_ENTRY).join(LEDGER_ACCOUNT).on(LEDGER_ACCOUNT.ID.eq(LEDGER_ENTRY.ACCOUNT_ID))
                    .where(LEDGER_ENTRY.TRANSACTION_ID.eq(LEDGER_TRANSACTION.ID)).orderBy(LEDGER_ENTRY.ID))
            .as("entries").convertFrom(result -> result.map(r -> new LedgerEntryRow(r.value1(), r.value2(), r.value3())));

    private final DSLContext db;

    PagesRepository(DSLContext db) {
        this.db = db;
    }

    /**
     * One page of payments, newest first, after the cursor. Every filter is an index range read in
     * (requested_at desc, id desc) order (see V20__console_indexes.sql), so a page costs the same on
     * the first and the millionth row.
     */
    List<PaymentRow> payments(PaymentFilter filter, PaymentCursor after, int limit) {
        Condition condition = noCondition();
        if (filter.merchantId() != null) {
            condition = condition.and(PAYMENT.MERCHANT_ID.eq(filter.merchantId()));
        }
        if (filter.status() != null) {
            condition = condition.and(PAYMENT.STATUS.eq(filter.status().name()));
        }
        if (filter.from() != null) {
            condition = condition.and(PAYMENT.REQUESTED_AT.ge(Seoul.startOf(filter.from())));
        }
        if (filter.to() != null) {
            condition = condition.and(PAYMENT.REQUESTED_AT.lt(Seoul.startOf(filter.to().plusDays(1))));
        }
        if (filter.q() != null) {
            // either key, exactly: each arm is a unique-index lookup, so the search never scans
            Payment searched = PAYMENT.as("searched");
            condition = condition.and(PAYMENT.ID.in(
                    select(searched.ID).from(searched).where(searched.PAYMENT_KEY.eq(filter.q()))
                            .unionAll(select(searched.ID).from(ORDERS).join(searched).on(searched.ORDER_PK.eq(ORDERS.ID))
                                    .where(ORDERS.ORDER_ID.eq(filter.q())))));
        }
        if (after != null) {
            condition = condition.and(row(PAYMENT.REQUESTED_AT, PAYMENT.ID).lt(after.requestedAt(), after.id()));
        }
        return db.select(PAYMENT.ID, PAYMENT.PAYMENT_KEY, PAYMENT.MERCHANT_ID, MERCHANT.NAME, ORDERS.ORDER_ID,
                        ORDERS.ORDER_NAME, PAYMENT.STATUS, PAYMENT.METHOD, PAYMENT.TOTAL_AMOUNT, PAYMENT.BALANCE_AMOUNT,
                        PAYMENT.REQUESTED_AT, PAYMENT.APPROVED_AT)
                .from(PAYMENT)
                .join(ORDERS).on(ORDERS.ID.eq(PAYMENT.ORDER_PK))
                .join(MERCHANT).on(MERCHANT.ID.eq(PAYMENT.MERCHANT_ID))
                .where(condition)
                .orderBy(PAYMENT.REQUESTED_AT.desc(), PAYMENT.ID.desc())
                .limit(limit)
                .fetch(r -> new PaymentRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), r.value8(), r.value9(), r.value10(), r.value11(), r.value12()));
    }

    /** Every call to the PG about this payment, oldest first: what support reads when a payment looks odd. */
    List<PgCallRow> pgCalls(long paymentId) {
        return db.select(PG_CALL.OPERATION, PG_CALL.PG_PROVIDER, PG_CALL.IDEMPOTENCY_KEY, PG_CALL.OUTCOME,
                        PG_CALL.HTTP_STATUS, PG_CALL.ERROR_CODE, PG_CALL.DURATION_MS, PG_CALL.CREATED_AT)
                .from(PG_CALL).where(PG_CALL.PAYMENT_ID.eq(paymentId)).orderBy(PG_CALL.ID)
                .fetch(r -> new PgCallRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), r.value8()));
    }

    /** The ledger transactions with these (type, reference) keys, with their entries. */
    List<LedgerTransactionRow> ledgerTransactions(List<PaymentService.LedgerReference> references) {
        if (references.isEmpty()) {
            return List.of();
        }
        return db.select(LEDGER_TRANSACTION.ID, LEDGER_TRANSACTION.TYPE, LEDGER_TRANSACTION.REFERENCE,
                        LEDGER_TRANSACTION.DESCRIPTION, LEDGER_TRANSACTION.OCCURRED_AT, ENTRIES)
                .from(LEDGER_TRANSACTION)
                .where(row(LEDGER_TRANSACTION.TYPE, LEDGER_TRANSACTION.REFERENCE)
                        .in(references.stream().map(ref -> row(ref.type(), ref.reference())).toList()))
                .orderBy(LEDGER_TRANSACTION.ID)
                .fetch(r -> new LedgerTransactionRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
    }

    /**
     * A merchant's wallet movements (its seller account's entries), newest first, before an entry id.
     * The account id is a sub-select, not a join: with a join the planner walked ledger_entry's primary
     * key backwards filtering 2 million rows for an old merchant (1.7 s); an equality on account_id reads
     * ledger_entry_account (account_id, id) backwards instead (0.2 ms).
     */
    List<WalletEntryRow> walletHistory(long merchantId, Long beforeEntryId, int limit) {
        Condition condition = LEDGER_ENTRY.ACCOUNT_ID.eq(
                select(WALLET.LEDGER_ACCOUNT_ID).from(WALLET).where(WALLET.MERCHANT_ID.eq(merchantId)));
        if (beforeEntryId != null) {
            condition = condition.and(LEDGER_ENTRY.ID.lt(beforeEntryId));
        }
        return db.select(LEDGER_ENTRY.ID, LEDGER_TRANSACTION.OCCURRED_AT, LEDGER_TRANSACTION.TYPE,
                        LEDGER_TRANSACTION.REFERENCE, LEDGER_TRANSACTION.DESCRIPTION, LEDGER_ENTRY.SIDE, LEDGER_ENTRY.AMOUNT)
                .from(LEDGER_ENTRY)
                .join(LEDGER_TRANSACTION).on(LEDGER_TRANSACTION.ID.eq(LEDGER_ENTRY.TRANSACTION_ID))
                .where(condition)
                .orderBy(LEDGER_ENTRY.ID.desc())
                .limit(limit)
                .fetch(r -> new WalletEntryRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        // a seller account is a liability: a credit raises the wallet, a debit lowers it
                        "C".equals(r.value6()) ? r.value7() : -r.value7()));
    }

    /** The lines a settlement was made of (they belong to it by merchant and sales date). */
    List<SettlementLineRow> settlementLines(long merchantId, LocalDate salesDate, int limit) {
        return db.select(SETTLEMENT_LINE.OCCURRED_AT, SETTLEMENT_LINE.KIND, PAYMENT.PAYMENT_KEY, ORDERS.ORDER_ID,
                        SETTLEMENT_LINE.AMOUNT, SETTLEMENT_LINE.FEE_RATE)
                .from(SETTLEMENT_LINE)
                .join(PAYMENT).on(PAYMENT.ID.eq(SETTLEMENT_LINE.PAYMENT_ID))
                .join(ORDERS).on(ORDERS.ID.eq(PAYMENT.ORDER_PK))
                .where(SETTLEMENT_LINE.SALES_DATE.eq(salesDate)).and(SETTLEMENT_LINE.MERCHANT_ID.eq(merchantId))
                .orderBy(SETTLEMENT_LINE.OCCURRED_AT, SETTLEMENT_LINE.ID)
                .limit(limit)
                .fetch(r -> new SettlementLineRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
    }

    public record PaymentRow(long id, String paymentKey, long merchantId, String merchantName, String orderId,
            String orderName, String status, String method, long totalAmount, long balanceAmount,
            OffsetDateTime requestedAt, OffsetDateTime approvedAt) {
    }

    public record PgCallRow(String operation, String provider, String idempotencyKey, String outcome, Integer httpStatus,
            String errorCode, int durationMs, OffsetDateTime createdAt) {
    }

    public record LedgerTransactionRow(long id, String type, String reference, String description,
            OffsetDateTime occurredAt, List<LedgerEntryRow> entries) {
    }

    public record LedgerEntryRow(String accountCode, String side, long amount) {
    }

    public record WalletEntryRow(long entryId, OffsetDateTime occurredAt, String type, String reference,
            String description, long changeWon) {
    }

    public record SettlementLineRow(OffsetDateTime occurredAt, String kind, String paymentKey, String orderId,
            long amount, BigDecimal feeRate) {
    }
}
