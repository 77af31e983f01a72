package io.unbreakable.payments.ledger;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ACCOUNT;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.WALLET;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.inline;
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
import org.jooq.impl.SQLDataType;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    private final DSLContext db;
    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final Map<Account.Platform, Long> platformAccountIds = new ConcurrentHashMap<>();
    private final Map<Long, Long> sellerAccountIds = new ConcurrentHashMap<>();

    public LedgerService(DSLContext db, JdbcClient jdbc, MeterRegistry meters) {
        this.db = db;
        this.jdbc = jdbc;
        this.meters = meters;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void post(LedgerPosting posting) {
        postAll(List.of(posting));
    }

    /**
     * Writes postings in two statements whatever their number: the transactions with all their
     * entries, then the wallets. Wallets come last (several in merchant order): a wallet row is the hot
     * row a concurrent payment for the same seller needs, so it is locked only from here to the commit.
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

        List<String> types = new ArrayList<>();
        List<String> references = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        List<String> entryTypes = new ArrayList<>();
        List<String> entryReferences = new ArrayList<>();
        List<Long> accountIds = new ArrayList<>();
        List<String> sides = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        for (LedgerPosting posting : postings) {
            types.add(posting.type());
            references.add(posting.reference());
            descriptions.add(posting.description());
            for (LedgerPosting.Leg leg : posting.legs()) {
                entryTypes.add(posting.type());
                entryReferences.add(posting.reference());
                accountIds.add(leg.account() instanceof Account.SellerPayable seller
                        ? sellerAccountIds.get(seller.merchantId())
                        : platformAccountId((Account.Platform) leg.account()));
                sides.add(leg.side().code);
                amounts.add(leg.amountWon());
            }
        }
        // every transaction and all its entries in one statement (arrays, so no bind-value limit). The hot
        // statements here go through JDBC as constant text: a jOOQ plain-SQL template is parsed and its binds'
        // types built again on every call, which cost more than the JDBC work (docs/benchmarks.md, 2026-12-08)
        jdbc.sql("""
                with t as (
                    insert into ledger_transaction (type, reference, description)
                    select * from unnest(?::text[], ?::text[], ?::text[])
                    returning id, type, reference)
                insert into ledger_entry (transaction_id, account_id, side, amount)
                select t.id, e.account_id, e.side, e.amount
                  from unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[])
                       with ordinality as e(type, reference, account_id, side, amount, leg_no)
                  join t on t.type = e.type and t.reference = e.reference
                 order by e.leg_no
                """)
                .params(types.toArray(String[]::new), references.toArray(String[]::new), descriptions.toArray(String[]::new),
                        entryTypes.toArray(String[]::new), entryReferences.toArray(String[]::new), accountIds.toArray(Long[]::new),
                        sides.toArray(String[]::new), amounts.toArray(Long[]::new))
                .update();

        if (!walletChanges.isEmpty()) {
            Long[] merchantIds = walletChanges.keySet().toArray(Long[]::new);
            Long[] deltas = walletChanges.values().toArray(Long[]::new);
            if (merchantIds.length > 1) {
                // lock in merchant order first, so two multi-seller postings can never deadlock each other
                db.select(WALLET.MERCHANT_ID).from(WALLET).where(WALLET.MERCHANT_ID.in(walletChanges.keySet()))
                        .orderBy(WALLET.MERCHANT_ID).forUpdate().execute();
            }
            jdbc.sql("""
                    update wallet w set balance = w.balance + d.delta, updated_at = now()
                      from unnest(?::bigint[], ?::bigint[]) as d(merchant_id, delta)
                     where w.merchant_id = d.merchant_id
                    """).params(merchantIds, deltas).update();
        }
    }

    /** Each seller's payable account, remembered: a wallet's account never changes once opened. */
    private Map<Long, Long> sellerAccountIds(Set<Long> merchantIds) {
        Map<Long, Long> ids = new HashMap<>();
        List<Long> unknown = new ArrayList<>();
        for (Long merchantId : merchantIds) {
            Long accountId = sellerAccountIds.get(merchantId);
            if (accountId == null) {
                unknown.add(merchantId);
            } else {
                ids.put(merchantId, accountId);
            }
        }
        if (!unknown.isEmpty()) {
            Map<Long, Long> found = db.select(WALLET.MERCHANT_ID, WALLET.LEDGER_ACCOUNT_ID).from(WALLET)
                    .where(WALLET.MERCHANT_ID.in(unknown))
                    .fetchMap(WALLET.MERCHANT_ID, WALLET.LEDGER_ACCOUNT_ID);
            unknown.stream().filter(id -> !found.containsKey(id)).findFirst().ifPresent(id -> {
                throw new IllegalStateException("merchant " + id + " has no wallet");
            });
            sellerAccountIds.putAll(found);
            ids.putAll(found);
        }
        return ids;
    }

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

    /** Opens a new seller's payable account and its wallet at zero, with the merchant's creation. */
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
