package io.unbreakable.payments.db;

import static io.unbreakable.payments.db.jooq.Tables.HOLIDAY;
import static io.unbreakable.payments.db.jooq.Tables.IDEMPOTENCY_KEY;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ACCOUNT;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.ORDERS;
import static io.unbreakable.payments.db.jooq.Tables.ORDER_ITEM;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.db.test.DatabaseCleaner;
import io.unbreakable.payments.db.test.TestDatabaseConfiguration;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/** The schema's own guards, tried against real PostgreSQL: what the database refuses even if code forgets. */
@SpringBootTest(properties = "payments.embedded-database.data-directory=")
@Import(TestDatabaseConfiguration.class)
class SchemaConstraintsTest {

    @Autowired
    DSLContext db;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void clean() {
        DatabaseCleaner.clean(dataSource);
    }

    @Test
    void refusesToCommitAnUnbalancedLedgerTransaction() {
        long receivable = account("PG_RECEIVABLE");
        long revenue = account("PLATFORM_FEE_REVENUE");

        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            long txId = ledgerTransaction("TEST", "unbalanced");
            entry(txId, receivable, "D", 10_000);
            entry(txId, revenue, "C", 9_999);
        })).hasMessageContaining("unbalanced");

        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isZero();
        assertThat(db.fetchCount(LEDGER_ENTRY)).isZero();
    }

    @Test
    void refusesALedgerTransactionWithoutEntries() {
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> ledgerTransaction("TEST", "empty")))
                .hasMessageContaining("unbalanced");
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isZero();
    }

    @Test
    void commitsABalancedLedgerTransaction() {
        long receivable = account("PG_RECEIVABLE");
        long revenue = account("PLATFORM_FEE_REVENUE");
        long vat = account("VAT_PAYABLE");

        tx.executeWithoutResult(status -> {
            long txId = ledgerTransaction("TEST", "balanced");
            entry(txId, receivable, "D", 11_000);
            entry(txId, revenue, "C", 10_000);
            entry(txId, vat, "C", 1_000);
        });

        assertThat(db.fetchCount(LEDGER_ENTRY)).isEqualTo(3);
    }

    @Test
    void refusesAnEntryAddedLaterThatUnbalancesACommittedTransaction() {
        long receivable = account("PG_RECEIVABLE");
        long revenue = account("PLATFORM_FEE_REVENUE");
        long txId = tx.execute(status -> {
            long id = ledgerTransaction("TEST", "first");
            entry(id, receivable, "D", 500);
            entry(id, revenue, "C", 500);
            return id;
        });

        assertThatThrownBy(() -> tx.executeWithoutResult(status -> entry(txId, revenue, "C", 1)))
                .hasMessageContaining("unbalanced");
        assertThat(db.fetchCount(LEDGER_ENTRY)).isEqualTo(2);
    }

    @Test
    void refusesUpdateAndDeleteOfLedgerRows() {
        long receivable = account("PG_RECEIVABLE");
        long revenue = account("PLATFORM_FEE_REVENUE");
        long txId = tx.execute(status -> {
            long id = ledgerTransaction("TEST", "immutable");
            entry(id, receivable, "D", 700);
            entry(id, revenue, "C", 700);
            return id;
        });

        assertThatThrownBy(() -> db.update(LEDGER_ENTRY).set(LEDGER_ENTRY.AMOUNT, 1L).execute())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> db.deleteFrom(LEDGER_ENTRY).execute())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> db.update(LEDGER_TRANSACTION).set(LEDGER_TRANSACTION.DESCRIPTION, "x")
                .where(LEDGER_TRANSACTION.ID.eq(txId)).execute())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> db.deleteFrom(LEDGER_TRANSACTION).execute())
                .hasMessageContaining("append-only");
        assertThat(db.select(LEDGER_ENTRY.AMOUNT).from(LEDGER_ENTRY).fetch(LEDGER_ENTRY.AMOUNT)).containsOnly(700L);
    }

    @Test
    void refusesPostingTheSameBusinessEventTwice() {
        long receivable = account("PG_RECEIVABLE");
        long revenue = account("PLATFORM_FEE_REVENUE");
        Runnable post = () -> tx.executeWithoutResult(status -> {
            long id = ledgerTransaction("PAYMENT_APPROVED", "pay_1");
            entry(id, receivable, "D", 1_000);
            entry(id, revenue, "C", 1_000);
        });
        post.run();
        assertThatThrownBy(post::run).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void refusesDuplicateOrderIdPerMerchantButAllowsItForAnotherMerchant() {
        long first = merchant("first");
        long second = merchant("second");
        order(first, "order-0001", 1_000);

        assertThatThrownBy(() -> order(first, "order-0001", 2_000)).isInstanceOf(DataIntegrityViolationException.class);
        assertThatCode(() -> order(second, "order-0001", 2_000)).doesNotThrowAnyException();
    }

    @Test
    void refusesMalformedOrderIdsAndNonPositiveAmounts() {
        long merchant = merchant("shop");
        assertThatThrownBy(() -> order(merchant, "short", 1_000)).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> order(merchant, "has space!", 1_000)).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> order(merchant, "order-0002", 0)).isInstanceOf(DataIntegrityViolationException.class);
        long orderPk = order(merchant, "order-0003", 1_000);
        assertThatThrownBy(() -> db.insertInto(ORDER_ITEM)
                .set(ORDER_ITEM.ORDER_PK, orderPk).set(ORDER_ITEM.LINE_NO, 1).set(ORDER_ITEM.SKU, "A")
                .set(ORDER_ITEM.NAME, "a").set(ORDER_ITEM.UNIT_PRICE, -1L).set(ORDER_ITEM.QUANTITY, 1)
                .set(ORDER_ITEM.AMOUNT, -1L).execute()).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> db.insertInto(ORDER_ITEM)
                .set(ORDER_ITEM.ORDER_PK, orderPk).set(ORDER_ITEM.LINE_NO, 1).set(ORDER_ITEM.SKU, "A")
                .set(ORDER_ITEM.NAME, "a").set(ORDER_ITEM.UNIT_PRICE, 100L).set(ORDER_ITEM.QUANTITY, 2)
                .set(ORDER_ITEM.AMOUNT, 100L).execute())
                .hasMessageContaining("order_item_amount_is_price_times_quantity");
    }

    @Test
    void allowsOneLivePaymentPerOrderAndUniquePaymentKeys() {
        long merchant = merchant("shop");
        long orderPk = order(merchant, "order-0001", 1_000);
        payment("pay_declined", merchant, orderPk, "ABORTED");
        payment("pay_ok", merchant, orderPk, "DONE");

        assertThatThrownBy(() -> payment("pay_second", merchant, orderPk, "IN_PROGRESS"))
                .isInstanceOf(DataIntegrityViolationException.class);
        long otherOrder = order(merchant, "order-0002", 1_000);
        assertThatThrownBy(() -> payment("pay_ok", merchant, otherOrder, "IN_PROGRESS"))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void refusesACancelledBalanceAboveThePaidAmount() {
        long merchant = merchant("shop");
        long orderPk = order(merchant, "order-0001", 1_000);
        payment("pay_1", merchant, orderPk, "DONE");
        assertThatThrownBy(() -> db.update(PAYMENT).set(PAYMENT.BALANCE_AMOUNT, -1L).execute())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> db.update(PAYMENT).set(PAYMENT.BALANCE_AMOUNT, 1_001L).execute())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void keepsEveryPaymentAPgSawButLetsAnUnsentClaimGo() {
        long merchant = merchant("shop");
        payment("pay_done", merchant, order(merchant, "order-0001", 1_000), "DONE");
        payment("pay_aborted", merchant, order(merchant, "order-0002", 1_000), "ABORTED");
        payment("pay_claim", merchant, order(merchant, "order-0003", 1_000), "IN_PROGRESS");

        assertThatThrownBy(() -> db.deleteFrom(PAYMENT).where(PAYMENT.PAYMENT_KEY.eq("pay_done")).execute())
                .hasMessageContaining("cannot be deleted");
        assertThatThrownBy(() -> db.deleteFrom(PAYMENT).where(PAYMENT.PAYMENT_KEY.eq("pay_aborted")).execute())
                .hasMessageContaining("cannot be deleted");
        assertThat(db.deleteFrom(PAYMENT).where(PAYMENT.PAYMENT_KEY.eq("pay_claim")).execute()).isEqualTo(1);
        assertThat(db.fetchCount(PAYMENT)).isEqualTo(2);
    }

    @Test
    void refusesDuplicateIdempotencyKeyPerMerchant() {
        long first = merchant("first");
        long second = merchant("second");
        idempotencyKey(first, "key-1");
        assertThatThrownBy(() -> idempotencyKey(first, "key-1")).isInstanceOf(DataIntegrityViolationException.class);
        assertThatCode(() -> idempotencyKey(second, "key-1")).doesNotThrowAnyException();
    }

    @Test
    void seedsKoreanHolidaysFor2025To2027() {
        assertThat(db.fetchExists(HOLIDAY, HOLIDAY.HOLIDAY_DATE.eq(LocalDate.of(2026, 9, 25)))).as("추석 2026").isTrue();
        assertThat(db.fetchExists(HOLIDAY, HOLIDAY.HOLIDAY_DATE.eq(LocalDate.of(2025, 10, 8)))).as("추석 대체공휴일 2025").isTrue();
        assertThat(db.fetchExists(HOLIDAY, HOLIDAY.HOLIDAY_DATE.eq(LocalDate.of(2027, 2, 9)))).as("설날 대체공휴일 2027").isTrue();
        for (int year = 2025; year <= 2027; year++) {
            assertThat(db.fetchCount(HOLIDAY, HOLIDAY.HOLIDAY_DATE.between(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31))))
                    .as("weekday holidays in %d", year).isGreaterThanOrEqualTo(12);
        }
    }

    private long account(String code) {
        return db.select(LEDGER_ACCOUNT.ID).from(LEDGER_ACCOUNT).where(LEDGER_ACCOUNT.CODE.eq(code)).fetchSingle(LEDGER_ACCOUNT.ID);
    }

    private long ledgerTransaction(String type, String reference) {
        return db.insertInto(LEDGER_TRANSACTION).set(LEDGER_TRANSACTION.TYPE, type).set(LEDGER_TRANSACTION.REFERENCE, reference)
                .returning(LEDGER_TRANSACTION.ID).fetchSingle(LEDGER_TRANSACTION.ID);
    }

    private void entry(long transactionId, long accountId, String side, long amount) {
        db.insertInto(LEDGER_ENTRY).set(LEDGER_ENTRY.TRANSACTION_ID, transactionId).set(LEDGER_ENTRY.ACCOUNT_ID, accountId)
                .set(LEDGER_ENTRY.SIDE, side).set(LEDGER_ENTRY.AMOUNT, amount).execute();
    }

    private long merchant(String name) {
        return db.insertInto(MERCHANT).set(MERCHANT.NAME, name).set(MERCHANT.BUSINESS_TYPE, "BUSINESS")
                .set(MERCHANT.FEE_RATE, new BigDecimal("0.033")).set(MERCHANT.SECRET_KEY_HASH, "hash-" + name)
                .set(MERCHANT.SECRET_KEY_PREFIX, "test_sk_").returning(MERCHANT.ID).fetchSingle(MERCHANT.ID);
    }

    private long order(long merchantId, String orderId, long totalAmount) {
        return db.insertInto(ORDERS).set(ORDERS.MERCHANT_ID, merchantId).set(ORDERS.ORDER_ID, orderId)
                .set(ORDERS.ORDER_NAME, "order").set(ORDERS.TOTAL_AMOUNT, totalAmount)
                .returning(ORDERS.ID).fetchSingle(ORDERS.ID);
    }

    private void payment(String paymentKey, long merchantId, long orderPk, String status) {
        db.insertInto(PAYMENT).set(PAYMENT.PAYMENT_KEY, paymentKey).set(PAYMENT.MERCHANT_ID, merchantId)
                .set(PAYMENT.ORDER_PK, orderPk).set(PAYMENT.STATUS, status).set(PAYMENT.PG_PROVIDER, "sim")
                .set(PAYMENT.TOTAL_AMOUNT, 1_000L).set(PAYMENT.BALANCE_AMOUNT, 1_000L)
                .set(PAYMENT.SUPPLIED_AMOUNT, 909L).set(PAYMENT.VAT, 91L)
                .set(PAYMENT.APPROVED_AT, status.equals("DONE") ? OffsetDateTime.now() : null).execute();
    }

    private void idempotencyKey(long merchantId, String key) {
        db.insertInto(IDEMPOTENCY_KEY).set(IDEMPOTENCY_KEY.MERCHANT_ID, merchantId).set(IDEMPOTENCY_KEY.IDEMPOTENCY_KEY_, key)
                .set(IDEMPOTENCY_KEY.REQUEST_METHOD, "POST").set(IDEMPOTENCY_KEY.REQUEST_PATH, "/v1/orders")
                .set(IDEMPOTENCY_KEY.REQUEST_HASH, "h").set(IDEMPOTENCY_KEY.RECOVERY_POINT, "STARTED")
                .set(IDEMPOTENCY_KEY.EXPIRES_AT, OffsetDateTime.now().plusDays(15)).execute();
    }
}
