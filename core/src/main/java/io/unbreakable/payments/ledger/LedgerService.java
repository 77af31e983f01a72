package io.unbreakable.payments.ledger;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ACCOUNT;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.WALLET;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.core.instrument.MeterRegistry;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Row4;
import org.jooq.impl.SQLDataType;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one entry point for posting money. A posting is written in the caller's transaction (it must
 * have one: the ledger moves with the state change it explains), and a seller leg moves that
 * seller's wallet in the same transaction, so wallet = ledger account at every commit.
 */
public class LedgerService {

    /** Bind values stay well under PostgreSQL's 32,767 per statement (4 per entry). */
    private static final int ENTRIES_PER_STATEMENT = 2_000;

    private final DSLContext db;
    private final MeterRegistry meters;
    private final Map<Account.Platform, Long> platformAccountIds = new ConcurrentHashMap<>();

    public LedgerService(DSLContext db, MeterRegistry meters) {
        this.db = db;
        this.meters = meters;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void post(LedgerPosting posting) {
        postAll(List.of(posting));
    }

    /**
     * Writes postings in a few statements whatever their number: the transactions, then all their
     * entries, then the wallets. Wallets come last and in merchant order: a wallet row is the hot row
     * a concurrent payment for the same seller needs, so it is locked only from here to the commit.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void postAll(List<LedgerPosting> postings) {
        if (postings.isEmpty()) {
            return;
        }
        countOnCommit(postings);
        SortedMap<Long, Long> walletChanges = new TreeMap<>();
        for (LedgerPosting posting : postings) {
            for (LedgerPosting.Leg leg : posting.legs()) {
                if (leg.account() instanceof Account.SellerPayable seller) {
                    // a liability: a credit raises what we owe the seller, a debit lowers it
                    long signed = leg.side() == Side.CREDIT ? leg.amountWon() : -leg.amountWon();
                    walletChanges.merge(seller.merchantId(), signed, Math::addExact);
                }
            }
        }
        Map<Long, Long> sellerAccountIds = sellerAccountIds(walletChanges.keySet());

        var transactions = db.insertInto(LEDGER_TRANSACTION, LEDGER_TRANSACTION.TYPE, LEDGER_TRANSACTION.REFERENCE,
                LEDGER_TRANSACTION.DESCRIPTION);
        for (LedgerPosting posting : postings) {
            transactions = transactions.values(posting.type(), posting.reference(), posting.description());
        }
        Map<String, Long> transactionIds = new HashMap<>();
        transactions.returningResult(LEDGER_TRANSACTION.ID, LEDGER_TRANSACTION.TYPE, LEDGER_TRANSACTION.REFERENCE)
                .fetch()
                .forEach(row -> transactionIds.put(row.value2() + "\u0000" + row.value3(), row.value1()));

        List<Row4<Long, Long, String, Long>> entries = new ArrayList<>();
        for (LedgerPosting posting : postings) {
            long transactionId = transactionIds.get(posting.type() + "\u0000" + posting.reference());
            for (LedgerPosting.Leg leg : posting.legs()) {
                long accountId = leg.account() instanceof Account.SellerPayable seller
                        ? sellerAccountIds.get(seller.merchantId())
                        : platformAccountId((Account.Platform) leg.account());
                entries.add(row(transactionId, accountId, leg.side().code, leg.amountWon()));
            }
        }
        for (int from = 0; from < entries.size(); from += ENTRIES_PER_STATEMENT) {
            db.insertInto(LEDGER_ENTRY, LEDGER_ENTRY.TRANSACTION_ID, LEDGER_ENTRY.ACCOUNT_ID, LEDGER_ENTRY.SIDE, LEDGER_ENTRY.AMOUNT)
                    .valuesOfRows(entries.subList(from, Math.min(from + ENTRIES_PER_STATEMENT, entries.size())))
                    .execute();
        }

        if (!walletChanges.isEmpty()) {
            Long[] merchantIds = walletChanges.keySet().toArray(Long[]::new);
            Long[] deltas = walletChanges.values().toArray(Long[]::new);
            // lock in merchant order first, so two multi-seller postings can never deadlock each other
            db.select(WALLET.MERCHANT_ID).from(WALLET).where(WALLET.MERCHANT_ID.in(walletChanges.keySet()))
                    .orderBy(WALLET.MERCHANT_ID).forUpdate().execute();
            db.execute("""
                    update wallet w set balance = w.balance + d.delta, updated_at = now()
                      from unnest(?::bigint[], ?::bigint[]) as d(merchant_id, delta)
                     where w.merchant_id = d.merchant_id
                    """, merchantIds, deltas);
        }
    }

    private Map<Long, Long> sellerAccountIds(Set<Long> merchantIds) {
        if (merchantIds.isEmpty()) {
            return Map.of();
        }
        Map<Long, Long> ids = db.select(WALLET.MERCHANT_ID, WALLET.LEDGER_ACCOUNT_ID).from(WALLET)
                .where(WALLET.MERCHANT_ID.in(merchantIds))
                .fetchMap(WALLET.MERCHANT_ID, WALLET.LEDGER_ACCOUNT_ID);
        merchantIds.stream().filter(id -> !ids.containsKey(id)).findFirst().ifPresent(id -> {
            throw new IllegalStateException("merchant " + id + " has no wallet");
        });
        return ids;
    }

    /** Opens a new seller's payable account and its wallet at zero, with the merchant's creation. */
    /** {@code ledger.postings} by type, counted when the transaction commits (a rolled-back posting never happened). */
    private void countOnCommit(List<LedgerPosting> postings) {
        Map<String, Long> byType = new TreeMap<>();
        postings.forEach(posting -> byType.merge(posting.type(), 1L, Long::sum));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                byType.forEach((type, count) -> meters.counter("ledger.postings", "type", type).increment(count));
            }
        });
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void openSellerAccount(long merchantId) {
        long accountId = db.insertInto(LEDGER_ACCOUNT)
                .set(LEDGER_ACCOUNT.CODE, Account.sellerPayable(merchantId).code())
                .set(LEDGER_ACCOUNT.TYPE, "LIABILITY")
                .set(LEDGER_ACCOUNT.MERCHANT_ID, merchantId)
                .returning(LEDGER_ACCOUNT.ID)
                .fetchSingle(LEDGER_ACCOUNT.ID);
        db.insertInto(WALLET).set(WALLET.MERCHANT_ID, merchantId).set(WALLET.LEDGER_ACCOUNT_ID, accountId).execute();
    }

    public Wallet wallet(long merchantId) {
        return db.select(WALLET.MERCHANT_ID, WALLET.BALANCE, WALLET.UPDATED_AT).from(WALLET)
                .where(WALLET.MERCHANT_ID.eq(merchantId))
                .fetchSingle(record -> new Wallet(record.value1(), record.value2(), record.value3()));
    }

    public TrialBalance trialBalance() {
        Field<Long> debits = coalesce(sum(when(LEDGER_ENTRY.SIDE.eq("D"), LEDGER_ENTRY.AMOUNT)), inline(BigDecimal.ZERO)).cast(SQLDataType.BIGINT);
        Field<Long> credits = coalesce(sum(when(LEDGER_ENTRY.SIDE.eq("C"), LEDGER_ENTRY.AMOUNT)), inline(BigDecimal.ZERO)).cast(SQLDataType.BIGINT);
        return db.select(debits, credits).from(LEDGER_ENTRY).fetchSingle(record -> new TrialBalance(record.value1(), record.value2()));
    }

    /** Wallets whose balance differs from their ledger account (credits - debits). Empty, always. */
    public List<WalletDiscrepancy> walletDiscrepancies() {
        Field<Long> ledgerBalance = coalesce(sum(when(LEDGER_ENTRY.SIDE.eq("C"), LEDGER_ENTRY.AMOUNT).otherwise(LEDGER_ENTRY.AMOUNT.neg())),
                inline(BigDecimal.ZERO)).cast(SQLDataType.BIGINT);
        return db.select(WALLET.MERCHANT_ID, WALLET.BALANCE, ledgerBalance)
                .from(WALLET)
                .leftJoin(LEDGER_ENTRY).on(LEDGER_ENTRY.ACCOUNT_ID.eq(WALLET.LEDGER_ACCOUNT_ID))
                .groupBy(WALLET.MERCHANT_ID, WALLET.BALANCE)
                .having(WALLET.BALANCE.ne(ledgerBalance))
                .fetch(record -> new WalletDiscrepancy(record.value1(), record.value2(), record.value3()));
    }

    private long platformAccountId(Account.Platform account) {
        return platformAccountIds.computeIfAbsent(account, platform -> db.select(LEDGER_ACCOUNT.ID).from(LEDGER_ACCOUNT)
                .where(LEDGER_ACCOUNT.CODE.eq(platform.code())).fetchSingle(LEDGER_ACCOUNT.ID));
    }
}
