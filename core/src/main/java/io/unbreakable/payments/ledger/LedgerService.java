package io.unbreakable.payments.ledger;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ACCOUNT;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.WALLET;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;

import io.unbreakable.payments.db.jooq.tables.records.LedgerEntryRecord;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep4;
import org.jooq.impl.SQLDataType;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one entry point for posting money. A posting is written in the caller's transaction (it must
 * have one: the ledger moves with the state change it explains), and a seller leg moves that
 * seller's wallet in the same transaction, so wallet = ledger account at every commit.
 */
public class LedgerService {

    private final DSLContext db;
    private final Map<Account.Platform, Long> platformAccountIds = new ConcurrentHashMap<>();

    public LedgerService(DSLContext db) {
        this.db = db;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public long post(LedgerPosting posting) {
        Map<Long, Long> walletChanges = new HashMap<>();
        for (LedgerPosting.Leg leg : posting.legs()) {
            if (leg.account() instanceof Account.SellerPayable seller) {
                // a liability: a credit raises what we owe the seller, a debit lowers it
                long signed = leg.side() == Side.CREDIT ? leg.amountWon() : -leg.amountWon();
                walletChanges.merge(seller.merchantId(), signed, Math::addExact);
            }
        }
        // wallets first, in merchant order, so concurrent postings lock them in the same order
        Map<Long, Long> sellerAccountIds = new HashMap<>();
        walletChanges.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(change ->
                sellerAccountIds.put(change.getKey(), db.update(WALLET)
                        .set(WALLET.BALANCE, WALLET.BALANCE.plus(change.getValue()))
                        .set(WALLET.UPDATED_AT, currentOffsetDateTime())
                        .where(WALLET.MERCHANT_ID.eq(change.getKey()))
                        .returning(WALLET.LEDGER_ACCOUNT_ID)
                        .fetchOptional(WALLET.LEDGER_ACCOUNT_ID)
                        .orElseThrow(() -> new IllegalStateException("merchant " + change.getKey() + " has no wallet"))));

        long transactionId = db.insertInto(LEDGER_TRANSACTION)
                .set(LEDGER_TRANSACTION.TYPE, posting.type())
                .set(LEDGER_TRANSACTION.REFERENCE, posting.reference())
                .set(LEDGER_TRANSACTION.DESCRIPTION, posting.description())
                .returning(LEDGER_TRANSACTION.ID)
                .fetchSingle(LEDGER_TRANSACTION.ID);

        InsertValuesStep4<LedgerEntryRecord, Long, Long, String, Long> entries = db.insertInto(LEDGER_ENTRY,
                LEDGER_ENTRY.TRANSACTION_ID, LEDGER_ENTRY.ACCOUNT_ID, LEDGER_ENTRY.SIDE, LEDGER_ENTRY.AMOUNT);
        for (LedgerPosting.Leg leg : posting.legs()) {
            long accountId = leg.account() instanceof Account.SellerPayable seller
                    ? sellerAccountIds.get(seller.merchantId())
                    : platformAccountId((Account.Platform) leg.account());
            entries = entries.values(transactionId, accountId, leg.side().code, leg.amountWon());
        }
        entries.execute();
        return transactionId;
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
