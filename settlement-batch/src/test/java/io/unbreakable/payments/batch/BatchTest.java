package io.unbreakable.payments.batch;

import static io.unbreakable.payments.db.jooq.Tables.BILLING_KEY;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.job.OneShotJobRunner;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.db.test.DatabaseCleaner;
import io.unbreakable.payments.db.test.TestDatabaseConfiguration;
import io.unbreakable.payments.ledger.PaymentPostings;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.money.Won;
import io.unbreakable.payments.pg.PgBillingKey;
import io.unbreakable.payments.pg.PgClient;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.subscription.BillingInterval;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of the batch tests: the real jobs on the embedded PostgreSQL, emptied before each test, with
 * payments and cancels written the way the payment API writes them (state + ledger in one
 * transaction), and the money invariants checked after each test.
 */
@SpringBootTest
@Import(TestDatabaseConfiguration.class)
public abstract class BatchTest {

    protected static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Every test merchant's bank account; stored encrypted, as the API stores it. */
    protected static final String PAYOUT_ACCOUNT_NUMBER = "110-123-456789";

    @Autowired
    protected DSLContext db;

    @Autowired
    protected DataSource dataSource;

    @Autowired
    protected LedgerService ledger;

    @Autowired
    protected TransactionTemplate tx;

    @Autowired
    protected OneShotJobRunner runner;

    @Autowired
    protected DataCipher cipher;

    /** The default PG: the in-process simulator over HTTP. */
    @Autowired
    protected PgClient pg;

    @BeforeEach
    void startFromAnEmptyDatabase() {
        DatabaseCleaner.clean(dataSource);
    }

    @AfterEach
    void moneyInvariantsHold() {
        assertThat(ledger.trialBalance().balanced()).as("trial balance").isTrue();
        assertThat(ledger.walletDiscrepancies()).as("wallets = ledger accounts").isEmpty();
    }

    protected long merchant(String businessType, String feeRate) {
        return tx.execute(status -> {
            long id = db.insertInto(MERCHANT).set(MERCHANT.NAME, "상점 " + SEQUENCE.incrementAndGet())
                    .set(MERCHANT.BUSINESS_TYPE, businessType).set(MERCHANT.FEE_RATE, new BigDecimal(feeRate))
                    .set(MERCHANT.PAYOUT_BANK_CODE, "088")
                    .set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, cipher.encrypt(V72__encrypt_payout_account_numbers.PURPOSE, PAYOUT_ACCOUNT_NUMBER))
                    .set(MERCHANT.PAYOUT_ACCOUNT_HOLDER, "홍길동")
                    .set(MERCHANT.SECRET_KEY_HASH, "hash-" + SEQUENCE.incrementAndGet()).set(MERCHANT.SECRET_KEY_PREFIX, "test_sk_")
                    .returning(MERCHANT.ID).fetchSingle(MERCHANT.ID);
            ledger.openSellerAccount(id);
            return id;
        });
    }

    /** An approved payment at noon (Seoul) of {@code date}, posted to the ledger like the API does. */
    protected long approve(long merchantId, long amount, LocalDate date) {
        OffsetDateTime approvedAt = date.atTime(LocalTime.NOON).atZone(SEOUL).toOffsetDateTime();
        long n = SEQUENCE.incrementAndGet();
        return tx.execute(status -> {
            long orderPk = db.insertInto(ORDERS).set(ORDERS.MERCHANT_ID, merchantId).set(ORDERS.ORDER_ID, "order-" + n)
                    .set(ORDERS.ORDER_NAME, "주문 " + n).set(ORDERS.TOTAL_AMOUNT, amount).returning(ORDERS.ID).fetchSingle(ORDERS.ID);
            long vat = Won.vatIncludedIn(amount);
            long paymentId = db.insertInto(PAYMENT).set(PAYMENT.PAYMENT_KEY, "pk_" + n).set(PAYMENT.MERCHANT_ID, merchantId)
                    .set(PAYMENT.ORDER_PK, orderPk).set(PAYMENT.STATUS, "DONE").set(PAYMENT.PG_PROVIDER, "toss")
                    .set(PAYMENT.TOTAL_AMOUNT, amount).set(PAYMENT.BALANCE_AMOUNT, amount)
                    .set(PAYMENT.SUPPLIED_AMOUNT, amount - vat).set(PAYMENT.VAT, vat).set(PAYMENT.APPROVED_AT, approvedAt)
                    .set(PAYMENT.REQUESTED_AT, approvedAt)
                    .returning(PAYMENT.ID).fetchSingle(PAYMENT.ID);
            ledger.post(PaymentPostings.approval("pk_" + n, "order-" + n, merchantId, amount));
            return paymentId;
        });
    }

    /** A completed cancel at noon (Seoul) of {@code date}. */
    protected long cancel(long paymentId, long amount, LocalDate date) {
        OffsetDateTime canceledAt = date.atTime(LocalTime.NOON).atZone(SEOUL).toOffsetDateTime();
        return tx.execute(status -> {
            long merchantId = db.select(PAYMENT.MERCHANT_ID).from(PAYMENT).where(PAYMENT.ID.eq(paymentId)).fetchSingle(PAYMENT.MERCHANT_ID);
            db.update(PAYMENT).set(PAYMENT.BALANCE_AMOUNT, PAYMENT.BALANCE_AMOUNT.minus(amount)).set(PAYMENT.STATUS, "PARTIAL_CANCELED")
                    .where(PAYMENT.ID.eq(paymentId)).execute();
            long cancelId = db.insertInto(PAYMENT_CANCEL).set(PAYMENT_CANCEL.PAYMENT_ID, paymentId).set(PAYMENT_CANCEL.STATUS, "DONE")
                    .set(PAYMENT_CANCEL.CANCEL_AMOUNT, amount).set(PAYMENT_CANCEL.CANCEL_REASON, "고객 요청")
                    .set(PAYMENT_CANCEL.CANCELED_AT, canceledAt).set(PAYMENT_CANCEL.REQUESTED_AT, canceledAt)
                    .returning(PAYMENT_CANCEL.ID).fetchSingle(PAYMENT_CANCEL.ID);
            ledger.post(PaymentPostings.cancel(cancelId, "pk_" + paymentId, "고객 요청", merchantId, amount));
            return cancelId;
        });
    }

    /** A subscription with {@code paidCycles} cycles paid, its billing key issued by the simulator. */
    protected long subscription(long merchantId, String customerKey, long amount, BillingInterval interval, LocalDate anchor, int paidCycles) {
        PgBillingKey key = ((PgResult.Success<PgBillingKey>) pg.issueBillingKey(customerKey, "auth_" + customerKey,
                "issue-" + customerKey)).value();
        return tx.execute(status -> {
            long billingKeyId = db.insertInto(BILLING_KEY).set(BILLING_KEY.MERCHANT_ID, merchantId)
                    .set(BILLING_KEY.CUSTOMER_KEY, customerKey).set(BILLING_KEY.BILLING_KEY_, key.billingKey())
                    .set(BILLING_KEY.PG_PROVIDER, pg.provider()).returning(BILLING_KEY.ID).fetchSingle(BILLING_KEY.ID);
            return db.insertInto(SUBSCRIPTION).set(SUBSCRIPTION.MERCHANT_ID, merchantId).set(SUBSCRIPTION.CUSTOMER_KEY, customerKey)
                    .set(SUBSCRIPTION.BILLING_KEY_ID, billingKeyId).set(SUBSCRIPTION.PLAN_NAME, "프리미엄")
                    .set(SUBSCRIPTION.AMOUNT, amount).set(SUBSCRIPTION.BILLING_INTERVAL, interval.name())
                    .set(SUBSCRIPTION.ANCHOR_DATE, anchor).set(SUBSCRIPTION.CYCLE_NO, paidCycles)
                    .set(SUBSCRIPTION.NEXT_BILLING_DATE, interval.dueDate(anchor, paidCycles + 1))
                    .set(SUBSCRIPTION.STATUS, "ACTIVE")
                    .returning(SUBSCRIPTION.ID).fetchSingle(SUBSCRIPTION.ID);
        });
    }

    protected long wallet(long merchantId) {
        return ledger.wallet(merchantId).balance();
    }
}
