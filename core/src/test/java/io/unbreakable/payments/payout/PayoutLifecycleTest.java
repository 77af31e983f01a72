package io.unbreakable.payments.payout;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ACCOUNT;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_ENTRY;
import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.db.test.DatabaseCleaner;
import io.unbreakable.payments.db.test.TestDatabaseConfiguration;
import io.unbreakable.payments.ledger.Account;
import io.unbreakable.payments.ledger.LedgerPosting;
import io.unbreakable.payments.ledger.LedgerService;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every transition of a payout and its posting, on the real schema: clearing, in transit, bank, the wallet. */
@SpringBootTest(properties = "payments.embedded-database.data-directory=")
@Import(TestDatabaseConfiguration.class)
class PayoutLifecycleTest {

    @Autowired
    PayoutLifecycle lifecycle;

    @Autowired
    LedgerService ledger;

    @Autowired
    DSLContext db;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataSource dataSource;

    @Autowired
    DataCipher cipher;

    long merchantId;
    long payoutId;
    String storedAccountNumber;

    @BeforeEach
    void aSettledPayoutOf10000Won() {
        DatabaseCleaner.clean(dataSource);
        storedAccountNumber = cipher.encrypt(V72__encrypt_payout_account_numbers.PURPOSE, "110123456789");
        merchantId = tx.execute(status -> {
            long id = db.insertInto(MERCHANT).set(MERCHANT.NAME, "shop").set(MERCHANT.BUSINESS_TYPE, "BUSINESS")
                    .set(MERCHANT.FEE_RATE, new BigDecimal("0.03")).set(MERCHANT.SECRET_KEY_HASH, "h")
                    .set(MERCHANT.SECRET_KEY_PREFIX, "test_sk_").set(MERCHANT.PAYOUT_BANK_CODE, "088")
                    .set(MERCHANT.PAYOUT_ACCOUNT_HOLDER, "홍길동").set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, storedAccountNumber)
                    .returning(MERCHANT.ID).fetchSingle(MERCHANT.ID);
            ledger.openSellerAccount(id);
            return id;
        });
        payoutId = tx.execute(status -> {
            // what settlement leaves: the payout SCHEDULED and its amount moved from the wallet to clearing
            ledger.post(LedgerPosting.of("PAYMENT_APPROVED", "pk_1").debit(Account.Platform.PG_RECEIVABLE, 10_000)
                    .credit(Account.sellerPayable(merchantId), 10_000).build());
            ledger.post(LedgerPosting.of("SETTLEMENT", merchantId + ":2026-11-24").debit(Account.sellerPayable(merchantId), 10_000)
                    .credit(Account.Platform.PAYOUT_CLEARING, 10_000).build());
            long settlementId = db.fetchSingle("""
                    insert into settlement (merchant_id, sales_date, business_type, approval_count, approval_amount, cancel_count,
                        cancel_amount, sales_amount, fee, fee_vat, withholding_income_tax, withholding_local_tax, withholding,
                        carried_in_amount, carried_out_amount, payout_amount, payout_date, fee_rate)
                    values (?, date '2026-11-24', 'BUSINESS', 1, 10000, 0, 0, 10000, 0, 0, 0, 0, 0, 0, 0, 10000, date '2026-11-25', 0)
                    returning id""", merchantId).get(0, Long.class);
            return db.insertInto(PAYOUT).set(PAYOUT.SETTLEMENT_ID, settlementId).set(PAYOUT.MERCHANT_ID, merchantId)
                    .set(PAYOUT.AMOUNT, 10_000L).set(PAYOUT.PAYOUT_DATE, LocalDate.parse("2026-11-25")).set(PAYOUT.STATUS, "SCHEDULED")
                    .returning(PAYOUT.ID).fetchSingle(PAYOUT.ID);
        });
    }

    @AfterEach
    void ledgerStaysBalancedAndWalletsMatch() {
        assertThat(ledger.trialBalance().balanced()).isTrue();
        assertThat(ledger.walletDiscrepancies()).isEmpty();
    }

    private Optional<PayoutMove> move(PayoutTransition transition) {
        return tx.execute(status -> lifecycle.transition(transition));
    }

    /** Credits minus debits of a platform account (what it holds for a liability). */
    private long balance(Account.Platform account) {
        Long net = db.fetchValue("""
                select coalesce(sum(case e.side when 'C' then e.amount else -e.amount end), 0)::bigint
                  from ledger_entry e join ledger_account a on a.id = e.account_id where a.code = ?""", account.code()) instanceof Long l
                ? l : null;
        return net;
    }

    private String status() {
        return db.select(PAYOUT.STATUS).from(PAYOUT).where(PAYOUT.ID.eq(payoutId)).fetchSingle(PAYOUT.STATUS);
    }

    @Test
    void aRequestMovesClearingToInTransitAndPaidMovesItToTheBank() {
        assertThat(balance(Account.Platform.PAYOUT_CLEARING)).isEqualTo(10_000);

        PayoutMove requested = move(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null)).orElseThrow();
        assertThat(requested.from()).isEqualTo(PayoutStatus.SCHEDULED);
        assertThat(requested.attempt()).isEqualTo(1);
        assertThat(balance(Account.Platform.PAYOUT_CLEARING)).isZero();
        assertThat(balance(Account.Platform.PAYOUTS_IN_TRANSIT)).isEqualTo(10_000);
        assertThat(db.select(PAYOUT.BANK_CODE, PAYOUT.ACCOUNT_HOLDER, PAYOUT.GATEWAY).from(PAYOUT).where(PAYOUT.ID.eq(payoutId)).fetchSingle()
                .intoList()).as("the merchant's account at the time of the request").containsExactly("088", "홍길동", "PG");

        assertThat(move(PayoutTransition.paid(payoutId))).isPresent();
        assertThat(status()).isEqualTo("PAID");
        assertThat(balance(Account.Platform.PAYOUTS_IN_TRANSIT)).isZero();
        assertThat(balance(Account.Platform.BANK)).isEqualTo(10_000); // credits - debits of an asset: 10,000 left our bank account
        assertThat(ledger.wallet(merchantId).balance()).isZero();
        assertThat(db.fetchCount(LEDGER_TRANSACTION, LEDGER_TRANSACTION.REFERENCE.eq("payout:" + payoutId + ":1"))).isEqualTo(2);
    }

    @Test
    void aFailureGivesTheAmountBackToTheWalletAndARetryTakesItAgainUnderANewAttempt() {
        move(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null));
        move(PayoutTransition.unknown(payoutId, "read timed out"));
        assertThat(status()).isEqualTo("UNKNOWN");
        assertThat(balance(Account.Platform.PAYOUTS_IN_TRANSIT)).isEqualTo(10_000);

        PayoutMove failed = move(PayoutTransition.failed(payoutId, "CLOSED_ACCOUNT", "해지된 계좌입니다.")).orElseThrow();
        assertThat(failed.from()).isEqualTo(PayoutStatus.UNKNOWN);
        assertThat(ledger.wallet(merchantId).balance()).isEqualTo(10_000);
        assertThat(balance(Account.Platform.PAYOUTS_IN_TRANSIT)).isZero();
        assertThat(db.select(PAYOUT.STATUS_REASON).from(PAYOUT).where(PAYOUT.ID.eq(payoutId)).fetchSingle(PAYOUT.STATUS_REASON))
                .isEqualTo("CLOSED_ACCOUNT");

        assertThat(move(PayoutTransition.retry(payoutId, "account fixed"))).isPresent();
        assertThat(status()).isEqualTo("SCHEDULED");
        assertThat(ledger.wallet(merchantId).balance()).isZero();
        assertThat(balance(Account.Platform.PAYOUT_CLEARING)).isEqualTo(10_000);

        PayoutMove second = move(PayoutTransition.request(payoutId, PayoutGatewayType.BANK_FILE, "transfer-2026-11-26.csv")).orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);
        move(PayoutTransition.paid(payoutId));
        assertThat(balance(Account.Platform.BANK)).isEqualTo(10_000);
        assertThat(db.fetchCount(LEDGER_TRANSACTION, LEDGER_TRANSACTION.REFERENCE.like("payout:" + payoutId + ":%"))).isEqualTo(5);
    }

    @Test
    void aHeldPayoutKeepsItsMoneyInClearingAndIsDueAgainOnlyOnceReleased() {
        move(PayoutTransition.hold(payoutId, "FINANCE_HOLD", "세무 확인 중"));
        long entries = db.fetchCount(LEDGER_ENTRY);
        assertThat(move(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null))).as("a held payout is not sent").isEmpty();
        assertThat(status()).isEqualTo("HELD");
        assertThat(db.fetchCount(LEDGER_ENTRY)).as("holds move no money").isEqualTo(entries);
        assertThat(balance(Account.Platform.PAYOUT_CLEARING)).isEqualTo(10_000);

        move(PayoutTransition.release(payoutId, "확인 완료"));
        assertThat(status()).isEqualTo("RELEASED");
        assertThat(move(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null))).isPresent();
    }

    @Test
    void transitionsNotAllowedFromTheCurrentStatusChangeNothingAndPostNothing() {
        move(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null));
        move(PayoutTransition.paid(payoutId));
        long entries = db.fetchCount(LEDGER_ENTRY);

        assertThat(move(PayoutTransition.failed(payoutId, "CLOSED_ACCOUNT", "late bounce"))).isEmpty();
        assertThat(move(PayoutTransition.paid(payoutId))).as("paid twice").isEmpty();
        assertThat(move(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null))).isEmpty();
        assertThat(move(PayoutTransition.retry(payoutId, "again"))).isEmpty();
        assertThat(move(PayoutTransition.hold(payoutId, "FINANCE_HOLD", "too late"))).isEmpty();

        assertThat(status()).isEqualTo("PAID");
        assertThat(db.fetchCount(LEDGER_ENTRY)).isEqualTo(entries);
    }

    @Test
    void onePayoutMovesOncePerCall() {
        assertThatThrownBy(() -> tx.execute(status -> lifecycle.transition(List.of(
                PayoutTransition.request(payoutId, PayoutGatewayType.PG, null), PayoutTransition.paid(payoutId)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payout " + payoutId);
        assertThat(status()).isEqualTo("SCHEDULED");
        assertThat(db.fetchCount(LEDGER_ACCOUNT, LEDGER_ACCOUNT.CODE.in("PAYOUTS_IN_TRANSIT", "BANK"))).isEqualTo(2);
    }

    /** A webhook endpoint of the merchant, as POST /v1/webhooks leaves it (nothing is delivered in this module). */
    private void subscribe(long merchant, String status, String... eventTypes) {
        tx.executeWithoutResult(s -> db.insertInto(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.MERCHANT_ID, merchant)
                .set(WEBHOOK_ENDPOINT.URL, "https://hooks.example/receive").set(WEBHOOK_ENDPOINT.EVENT_TYPES, eventTypes)
                .set(WEBHOOK_ENDPOINT.SECRET, "not used here").set(WEBHOOK_ENDPOINT.STATUS, status).execute());
    }

    private List<JsonNode> payoutEvents() {
        return db.select(WEBHOOK_EVENT.PAYLOAD).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.EVENT_TYPE.eq("PAYOUT_STATUS_CHANGED"))
                .orderBy(WEBHOOK_EVENT.ID).fetch(r -> JsonMapper.builder().build().readTree(r.value1()));
    }

    @Test
    void everyMoveWritesOnePayoutStatusChangedEventWithThePayoutMaskedAndAGrowingVersion() {
        subscribe(merchantId, "ENABLED", "PAYOUT_STATUS_CHANGED");

        move(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null));
        move(PayoutTransition.failed(payoutId, "CLOSED_ACCOUNT", "해지된 계좌입니다."));

        List<JsonNode> events = payoutEvents();
        assertThat(events).extracting(e -> e.get("data").get("status").asString()).containsExactly("REQUESTED", "FAILED");
        assertThat(events.get(1).get("data").get("version").asLong()).isGreaterThan(events.get(0).get("data").get("version").asLong());
        JsonNode failed = events.get(1).get("data");
        assertThat(failed.get("payoutId").asLong()).isEqualTo(payoutId);
        assertThat(failed.get("merchantId").asLong()).isEqualTo(merchantId);
        assertThat(failed.get("amount").asLong()).isEqualTo(10_000);
        assertThat(failed.get("reason").asString()).isEqualTo("CLOSED_ACCOUNT");
        assertThat(failed.get("attempt").asInt()).isEqualTo(1);
        assertThat(failed.get("account").get("bankCode").asString()).isEqualTo("088");
        assertThat(failed.get("account").get("accountNumber").asString()).isEqualTo("****6789");
        assertThat(failed.get("account").get("holderName").asString()).isEqualTo("홍길동");
        assertThat(db.fetch("select payload from webhook_event").getValues(0, String.class)).allSatisfy(payload -> assertThat(payload)
                .doesNotContain("123456789").doesNotContain(storedAccountNumber));
        assertThat(db.fetch("select object_id from webhook_event").getValues(0, String.class)).containsOnly(Long.toString(payoutId));
        assertThat(db.fetchCount(WEBHOOK_DELIVERY)).as("one delivery per event to the one endpoint").isEqualTo(2);
    }

    @Test
    void aMerchantWithoutAnEnabledEndpointTakingTheTypeGetsNoEvent() {
        subscribe(merchantId, "ENABLED", "PAYMENT_STATUS_CHANGED", "SETTLEMENT_COMPLETED");
        subscribe(merchantId, "DISABLED", "PAYOUT_STATUS_CHANGED");

        assertThat(move(PayoutTransition.request(payoutId, PayoutGatewayType.PG, null))).isPresent();

        assertThat(db.fetchCount(WEBHOOK_EVENT)).isZero();
        assertThat(db.fetchCount(WEBHOOK_DELIVERY)).isZero();
    }

    @Test
    void aRolledBackOrSkippedTransitionWritesNoEvent() {
        subscribe(merchantId, "ENABLED", "PAYOUT_STATUS_CHANGED");

        tx.executeWithoutResult(status -> {
            assertThat(lifecycle.transition(PayoutTransition.hold(payoutId, "FINANCE_HOLD", "세무 확인 중"))).isPresent();
            assertThat(db.fetchCount(WEBHOOK_EVENT)).as("written in the transition's transaction").isEqualTo(1);
            status.setRollbackOnly();
        });
        assertThat(status()).isEqualTo("SCHEDULED");
        assertThat(db.fetchCount(WEBHOOK_EVENT)).as("a rollback is no event").isZero();
        assertThat(db.fetchCount(WEBHOOK_DELIVERY)).isZero();

        assertThat(move(PayoutTransition.paid(payoutId))).as("PAID only from REQUESTED or UNKNOWN").isEmpty();
        assertThat(move(PayoutTransition.release(payoutId, "not held"))).isEmpty();
        assertThat(db.fetchCount(WEBHOOK_EVENT)).as("a skipped transition is no event").isZero();
    }
}
