package io.unbreakable.payments.ledger;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.WALLET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.db.test.DatabaseCleaner;
import io.unbreakable.payments.db.test.TestDatabaseConfiguration;
import java.math.BigDecimal;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(properties = "payments.embedded-database.data-directory=")
@Import(TestDatabaseConfiguration.class)
class LedgerServiceTest {

    @Autowired
    LedgerService ledger;

    @Autowired
    DSLContext db;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataSource dataSource;

    long merchantId;

    @BeforeEach
    void setUp() {
        DatabaseCleaner.clean(dataSource);
        merchantId = tx.execute(status -> {
            long id = db.insertInto(MERCHANT).set(MERCHANT.NAME, "shop").set(MERCHANT.BUSINESS_TYPE, "INDIVIDUAL")
                    .set(MERCHANT.FEE_RATE, new BigDecimal("0.033")).set(MERCHANT.SECRET_KEY_HASH, "h")
                    .set(MERCHANT.SECRET_KEY_PREFIX, "test_sk_").returning(MERCHANT.ID).fetchSingle(MERCHANT.ID);
            ledger.openSellerAccount(id);
            return id;
        });
    }

    @Test
    void aSellerLegMovesTheWalletWithTheLedgerInOneTransaction() {
        tx.executeWithoutResult(status -> ledger.post(LedgerPosting.of("PAYMENT_APPROVED", "pay_1")
                .debit(Account.Platform.PG_RECEIVABLE, 15_000)
                .credit(Account.sellerPayable(merchantId), 15_000)
                .build()));
        tx.executeWithoutResult(status -> ledger.post(LedgerPosting.of("PAYMENT_CANCELED", "cancel_1")
                .debit(Account.sellerPayable(merchantId), 20_000)
                .credit(Account.Platform.PG_RECEIVABLE, 20_000)
                .build()));

        assertThat(walletBalance()).isEqualTo(-5_000); // may go negative: a refund after a payout
        assertThat(db.fetchCount(LEDGER_ENTRY)).isEqualTo(4);
        assertThat(ledger.trialBalance()).isEqualTo(new TrialBalance(35_000, 35_000));
        assertThat(ledger.walletDiscrepancies()).isEmpty();
    }

    @Test
    void aFailedTransactionLeavesNeitherLedgerNorWalletMoved() {
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            ledger.post(LedgerPosting.of("PAYMENT_APPROVED", "pay_1")
                    .debit(Account.Platform.PG_RECEIVABLE, 1_000).credit(Account.sellerPayable(merchantId), 1_000).build());
            throw new IllegalStateException("the state change after the posting failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(walletBalance()).isZero();
        assertThat(db.fetchCount(LEDGER_ENTRY)).isZero();
    }

    @Test
    void refusesToPostOutsideATransaction() {
        LedgerPosting posting = LedgerPosting.of("PAYMENT_APPROVED", "pay_1")
                .debit(Account.Platform.PG_RECEIVABLE, 1_000).credit(Account.sellerPayable(merchantId), 1_000).build();
        assertThatThrownBy(() -> ledger.post(posting)).isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void refusesAnUnbalancedPostingBeforeTheDatabaseDoes() {
        assertThatThrownBy(() -> LedgerPosting.of("X", "1")
                .debit(Account.Platform.PG_RECEIVABLE, 1_000).credit(Account.sellerPayable(merchantId), 999).build())
                .hasMessageContaining("unbalanced: debits 1000 != credits 999");
        assertThatThrownBy(() -> LedgerPosting.of("X", "1").debit(Account.Platform.PG_RECEIVABLE, 1_000).build())
                .hasMessageContaining("at least two legs");
        assertThatThrownBy(() -> LedgerPosting.of("X", "1")
                .debit(Account.Platform.PG_RECEIVABLE, -5).credit(Account.sellerPayable(merchantId), -5).build())
                .hasMessageContaining("must be positive");
    }

    @Test
    void findsAWalletThatDriftedFromItsLedgerAccount() {
        tx.executeWithoutResult(status -> ledger.post(LedgerPosting.of("PAYMENT_APPROVED", "pay_1")
                .debit(Account.Platform.PG_RECEIVABLE, 3_000).credit(Account.sellerPayable(merchantId), 3_000).build()));
        db.update(WALLET).set(WALLET.BALANCE, 2_500L).execute(); // a bug elsewhere, simulated

        assertThat(ledger.walletDiscrepancies()).containsExactly(new WalletDiscrepancy(merchantId, 2_500, 3_000));
    }

    private long walletBalance() {
        return db.select(WALLET.BALANCE).from(WALLET).where(WALLET.MERCHANT_ID.eq(merchantId)).fetchSingle(WALLET.BALANCE);
    }
}
