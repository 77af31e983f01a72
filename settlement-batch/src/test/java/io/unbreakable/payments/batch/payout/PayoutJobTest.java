package io.unbreakable.payments.batch.payout;

import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.ledger.Account;
import io.unbreakable.payments.payout.PayoutGatewayType;
import io.unbreakable.payments.payout.PayoutLifecycle;
import io.unbreakable.payments.payout.PayoutTransition;
import io.unbreakable.payments.pgsim.PgSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * payoutJob through the PG simulator's payouts API over HTTP: every outcome and its posting, the holds,
 * an unanswered request settled by inquiry, the resend after a crash between claim and call (same
 * reference, paid once), asynchronous results. Ledger invariants are checked after each test (BatchTest),
 * and {@link #payoutAccountsHoldTheOpenPayouts} after each scenario.
 */
class PayoutJobTest extends BatchTest {

    static final LocalDate SALES_DATE = LocalDate.parse("2026-11-24"); // a Tuesday
    static final LocalDate PAYOUT_DATE = LocalDate.parse("2026-11-25");

    @Autowired
    PgSimulator simulator;

    @Autowired
    PayoutLifecycle lifecycle;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void freshPg() {
        simulator.reset();
    }

    /** A seller with {@code amount} won of sales on SALES_DATE (fee 0), settled: one SCHEDULED payout of that amount. */
    long settledSeller(String accountNumber, long amount) throws Exception {
        long merchantId = merchant("BUSINESS", "0");
        if (accountNumber == null) {
            db.update(MERCHANT).setNull(MERCHANT.PAYOUT_ACCOUNT_NUMBER).where(MERCHANT.ID.eq(merchantId)).execute();
        } else {
            db.update(MERCHANT).set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, cipher.encrypt(V72__encrypt_payout_account_numbers.PURPOSE, accountNumber))
                    .where(MERCHANT.ID.eq(merchantId)).execute();
        }
        approve(merchantId, amount, SALES_DATE);
        return merchantId;
    }

    void settle() throws Exception {
        assertThat(runner.run("settlementJob", List.of("date=" + SALES_DATE))).isEqualTo(BatchExitCode.COMPLETED);
    }

    BatchExitCode payoutJob(LocalDate date) throws Exception {
        return runner.run("payoutJob", List.of("date=" + date));
    }

    Record payout(long merchantId) {
        return db.selectFrom(PAYOUT).where(PAYOUT.MERCHANT_ID.eq(merchantId)).fetchSingle();
    }

    long platformBalance(Account.Platform account) {
        return ((Number) db.fetchValue("""
                select coalesce(sum(case e.side when 'C' then e.amount else -e.amount end), 0)
                  from ledger_entry e join ledger_account a on a.id = e.account_id where a.code = ?""", account.code())).longValue();
    }

    void payoutAccountsHoldTheOpenPayouts() {
        assertThat(platformBalance(Account.Platform.PAYOUT_CLEARING)).isEqualTo(((Number) db.fetchValue(
                "select coalesce(sum(amount), 0) from payout where status in ('SCHEDULED', 'HELD', 'RELEASED')")).longValue());
        assertThat(platformBalance(Account.Platform.PAYOUTS_IN_TRANSIT)).isEqualTo(((Number) db.fetchValue(
                "select coalesce(sum(amount), 0) from payout where status in ('REQUESTED', 'UNKNOWN')")).longValue());
    }

    @Test
    void paysEveryDuePayoutOnceAfterAHolderCheckAndPostsItOutOfTheBank() throws Exception {
        long first = settledSeller("110123456789", 50_000);
        long second = settledSeller("3333012345678", 70_000);
        settle();
        assertThat(platformBalance(Account.Platform.PAYOUT_CLEARING)).isEqualTo(120_000);

        assertThat(payoutJob(PAYOUT_DATE.minusDays(1))).isEqualTo(BatchExitCode.COMPLETED);
        assertThat(payout(first).get(PAYOUT.STATUS)).as("not due yet").isEqualTo("SCHEDULED");

        assertThat(payoutJob(PAYOUT_DATE)).isEqualTo(BatchExitCode.COMPLETED);

        for (long merchantId : List.of(first, second)) {
            Record payout = payout(merchantId);
            assertThat(payout.get(PAYOUT.STATUS)).isEqualTo("PAID");
            assertThat(payout.get(PAYOUT.ATTEMPT)).isEqualTo(1);
            assertThat(payout.get(PAYOUT.GATEWAY)).isEqualTo("PG");
            assertThat(payout.get(PAYOUT.PAID_AT)).isNotNull();
            assertThat(db.select(MERCHANT.PAYOUT_ACCOUNT_CHECK).from(MERCHANT).where(MERCHANT.ID.eq(merchantId)).fetchSingle().value1())
                    .isEqualTo("VERIFIED");
            assertThat(wallet(merchantId)).isZero();
        }
        assertThat(platformBalance(Account.Platform.PAYOUT_CLEARING)).isZero();
        assertThat(platformBalance(Account.Platform.PAYOUTS_IN_TRANSIT)).isZero();
        assertThat(platformBalance(Account.Platform.BANK)).as("credits: what left our bank").isEqualTo(120_000);
        assertThat(simulator.completedPayouts()).containsOnlyKeys("payout-" + payout(first).get(PAYOUT.ID), "payout-" + payout(second).get(PAYOUT.ID))
                .allSatisfy((reference, count) -> assertThat(count).isEqualTo(1));
        assertThat(simulator.stats().get("payoutHolderChecks")).isEqualTo(2);

        assertThat(payoutJob(PAYOUT_DATE)).as("a second run finds nothing to send").isEqualTo(BatchExitCode.COMPLETED);
        assertThat(simulator.stats().get("payoutRequests")).isEqualTo(2);
        payoutAccountsHoldTheOpenPayouts();
    }

    @Test
    void eachMoveOfTheJobIsAPayoutStatusChangedEventForASubscribedSellerOnly() throws Exception {
        long subscribed = settledSeller("110123456789", 50_000);
        long other = settledSeller("3333012345678", 70_000);
        db.insertInto(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.MERCHANT_ID, subscribed).set(WEBHOOK_ENDPOINT.URL, "https://hooks.example/receive")
                .set(WEBHOOK_ENDPOINT.EVENT_TYPES, new String[] {"PAYOUT_STATUS_CHANGED"}).set(WEBHOOK_ENDPOINT.SECRET, "not used here").execute();
        settle();

        assertThat(payoutJob(PAYOUT_DATE)).isEqualTo(BatchExitCode.COMPLETED);

        List<JsonNode> data = db.select(WEBHOOK_EVENT.PAYLOAD).from(WEBHOOK_EVENT).where(WEBHOOK_EVENT.EVENT_TYPE.eq("PAYOUT_STATUS_CHANGED"))
                .orderBy(WEBHOOK_EVENT.ID).fetch(r -> JsonMapper.builder().build().readTree(r.value1()).get("data"));
        assertThat(data).extracting(d -> d.get("status").asString()).containsExactly("REQUESTED", "PAID");
        assertThat(data).allSatisfy(d -> {
            assertThat(d.get("payoutId").asLong()).isEqualTo(payout(subscribed).get(PAYOUT.ID));
            assertThat(d.get("amount").asLong()).isEqualTo(50_000);
            assertThat(d.get("account").get("accountNumber").asString()).isEqualTo("****6789");
        });
        assertThat(data.get(1).get("version").asLong()).isGreaterThan(data.get(0).get("version").asLong());
        assertThat(data.get(1).get("paidAt").isNull()).isFalse();
        assertThat(data.toString()).doesNotContain("110123456789").doesNotContain("v1:");
        assertThat(payout(other).get(PAYOUT.STATUS)).as("moved, but its merchant takes no payout events").isEqualTo("PAID");
        payoutAccountsHoldTheOpenPayouts();
    }

    @Test
    void aRefusedPayoutIsFailedWithThePgsReasonAndItsAmountIsBackInTheWallet() throws Exception {
        long closed = settledSeller("9990001234", 40_000);
        long maintenance = settledSeller("9970001234", 30_000);
        settle();

        payoutJob(PAYOUT_DATE);

        assertThat(payout(closed).get(PAYOUT.STATUS)).isEqualTo("FAILED");
        assertThat(payout(closed).get(PAYOUT.STATUS_REASON)).isEqualTo("CLOSED_ACCOUNT");
        assertThat(payout(maintenance).get(PAYOUT.STATUS_REASON)).isEqualTo("BANK_MAINTENANCE");
        assertThat(wallet(closed)).isEqualTo(40_000);
        assertThat(wallet(maintenance)).isEqualTo(30_000);
        assertThat(platformBalance(Account.Platform.BANK)).isZero();
        payoutAccountsHoldTheOpenPayouts();
    }

    @Test
    void holdsPayoutsOfAHolderMismatchAMissingAccountAndANegativeWalletWithoutSendingThem() throws Exception {
        long mismatch = settledSeller("9980001234", 10_000);
        long noAccount = settledSeller(null, 20_000);
        long refunded = merchant("BUSINESS", "0");
        long refundedPayment = approve(refunded, 30_000, SALES_DATE);
        settle();
        cancel(refundedPayment, 8_000, PAYOUT_DATE); // a refund after settlement: the wallet is -8,000
        assertThat(wallet(refunded)).isEqualTo(-8_000);

        payoutJob(PAYOUT_DATE);

        assertThat(payout(mismatch).get(PAYOUT.STATUS)).isEqualTo("HELD");
        assertThat(payout(mismatch).get(PAYOUT.STATUS_REASON)).isEqualTo("HOLDER_MISMATCH");
        assertThat(db.select(MERCHANT.PAYOUT_ACCOUNT_CHECK).from(MERCHANT).where(MERCHANT.ID.eq(mismatch)).fetchSingle().value1())
                .isEqualTo("MISMATCH");
        assertThat(payout(noAccount).get(PAYOUT.STATUS_REASON)).isEqualTo("NO_PAYOUT_ACCOUNT");
        assertThat(payout(refunded).get(PAYOUT.STATUS)).isEqualTo("HELD");
        assertThat(payout(refunded).get(PAYOUT.STATUS_REASON)).isEqualTo("NEGATIVE_WALLET");
        assertThat(simulator.stats().get("payoutRequests")).as("nothing held was sent").isZero();
        assertThat(platformBalance(Account.Platform.PAYOUT_CLEARING)).isEqualTo(60_000);
        payoutAccountsHoldTheOpenPayouts();
    }

    @Test
    void anUnansweredRequestIsUnknownUntilAnInquiryFindsItPaidAndItIsPaidOnce() throws Exception {
        long merchantId = settledSeller("9960001234", 25_000); // the simulator swallows the first answer
        settle();

        assertThat(payoutJob(PAYOUT_DATE)).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(payout(merchantId).get(PAYOUT.STATUS)).isEqualTo("PAID");
        assertThat(simulator.stats().get("injectedTimeouts")).isEqualTo(1);
        assertThat(simulator.completedPayouts()).containsExactly(Map.entry("payout-" + payout(merchantId).get(PAYOUT.ID), 1L));
        payoutAccountsHoldTheOpenPayouts();
    }

    @Test
    void aRunAfterACrashBetweenClaimAndCallSendsTheSameReferenceAgainAndPaysOnce() throws Exception {
        long neverSent = settledSeller("110123456789", 11_000);
        long sentAnswerLost = settledSeller("3333012345678", 22_000);
        settle();
        long neverSentId = payout(neverSent).get(PAYOUT.ID);
        long sentId = payout(sentAnswerLost).get(PAYOUT.ID);
        // the crashed run: both claimed (REQUESTED, attempt 1, in transit); one request reached the PG, its answer was lost
        tx.executeWithoutResult(status -> lifecycle.transition(List.of(PayoutTransition.request(neverSentId, PayoutGatewayType.PG, null),
                PayoutTransition.request(sentId, PayoutGatewayType.PG, null))));
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v2/payouts"))
                .header("Authorization", "Basic dGVzdDo=").header("Content-Type", "application/json").header("Idempotency-Key", "payout-" + sentId + "-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refPayoutId\":\"payout-" + sentId
                        + "-1\",\"amount\":22000,\"bankCode\":\"088\",\"accountNumber\":\"3333012345678\",\"holderName\":\"홍길동\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(direct.body()).contains("COMPLETED");
        payoutAccountsHoldTheOpenPayouts();

        assertThat(payoutJob(PAYOUT_DATE)).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(payout(neverSent).get(PAYOUT.STATUS)).isEqualTo("PAID");
        assertThat(payout(sentAnswerLost).get(PAYOUT.STATUS)).isEqualTo("PAID");
        assertThat(payout(sentAnswerLost).get(PAYOUT.ATTEMPT)).as("no new attempt: the same reference").isEqualTo(1);
        assertThat(simulator.completedPayouts()).containsOnly(Map.entry("payout-" + neverSentId, 1L), Map.entry("payout-" + sentId, 1L));
        assertThat(simulator.stats().get("payoutRequests")).as("the direct one and the resend of the one never sent").isEqualTo(2);
        assertThat(platformBalance(Account.Platform.BANK)).isEqualTo(33_000);
        payoutAccountsHoldTheOpenPayouts();
    }

    @Test
    void anAsynchronousResultIsAskedForUntilItComes() throws Exception {
        long merchantId = settledSeller("110123456789", 15_000);
        settle();
        simulator.setPayoutFaults(0, 400);

        assertThat(payoutJob(PAYOUT_DATE)).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(payout(merchantId).get(PAYOUT.STATUS)).isEqualTo("PAID");
        payoutAccountsHoldTheOpenPayouts();
    }

    @Test
    void aRetriedPayoutGoesOutAgainUnderANewReferenceAfterTheAccountWasFixed() throws Exception {
        long merchantId = settledSeller("9990001234", 40_000);
        settle();
        payoutJob(PAYOUT_DATE);
        long payoutId = payout(merchantId).get(PAYOUT.ID);
        assertThat(wallet(merchantId)).isEqualTo(40_000);

        db.update(MERCHANT).set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, cipher.encrypt(V72__encrypt_payout_account_numbers.PURPOSE, "110987654321"))
                .set(MERCHANT.PAYOUT_ACCOUNT_CHECK, "UNVERIFIED").where(MERCHANT.ID.eq(merchantId)).execute();
        tx.executeWithoutResult(status -> lifecycle.transition(PayoutTransition.retry(payoutId, "계좌 변경")));
        assertThat(payoutJob(PAYOUT_DATE)).isEqualTo(BatchExitCode.COMPLETED);

        assertThat(payout(merchantId).get(PAYOUT.STATUS)).isEqualTo("PAID");
        assertThat(payout(merchantId).get(PAYOUT.ATTEMPT)).isEqualTo(2);
        assertThat(wallet(merchantId)).isZero();
        assertThat(simulator.completedPayouts()).containsExactly(Map.entry("payout-" + payoutId, 1L));
        assertThat(platformBalance(Account.Platform.BANK)).isEqualTo(40_000);
        payoutAccountsHoldTheOpenPayouts();
    }
}
