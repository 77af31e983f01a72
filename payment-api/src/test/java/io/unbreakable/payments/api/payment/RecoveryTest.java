package io.unbreakable.payments.api.payment;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PG_CALL;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** A timeout or unreadable answer is UNKNOWN, never failed; the poller settles it with the PG's truth. */
class RecoveryTest extends ApiTest {

    @Autowired
    PaymentRecovery recovery;

    @Test
    void aTimedOutConfirmIsUnknownUntilTheInquirySettlesItDone() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);

        Response response = confirm(merchant, "test_timeout_1", "order-0001", 10_000);

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.body().get("status").asString()).isEqualTo("UNKNOWN");
        assertThat(walletBalance(merchant)).isZero();
        assertThat(simulator.isApproved("test_timeout_1")).as("the PG did approve it").isTrue();

        assertThat(recovery.runOnce()).isEqualTo(1);

        JsonNode payment = get("/v1/payments/test_timeout_1", merchant.basicAuth()).body();
        assertThat(payment.get("status").asString()).isEqualTo("DONE");
        assertThat(payment.get("approvedAt").isNull()).isFalse();
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isEqualTo(1);
        assertThat(simulator.approvals()).isEqualTo(1);
        assertThat(db.fetchCount(PG_CALL, PG_CALL.OPERATION.eq("INQUIRY"))).isEqualTo(1);
        assertThat(recovery.runOnce()).as("nothing left open").isZero();
    }

    @Test
    void anUnknownPaymentThePgNeverSawIsAborted() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        simulator.setFaults(new SimulatorFaults(0, 0, 1.0, 0, 3_000, List.of())); // every call: 500, nothing done

        assertThat(confirm(merchant, "pk_1", "order-0001", 10_000).status()).isEqualTo(202);
        simulator.setFaults(SimulatorFaults.NONE);
        recovery.runOnce();

        JsonNode payment = get("/v1/payments/pk_1", merchant.basicAuth()).body();
        assertThat(payment.get("status").asString()).isEqualTo("ABORTED");
        assertThat(walletBalance(merchant)).isZero();
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isZero();
        assertThat(confirm(merchant, "pk_2", "order-0001", 10_000).status()).as("the order can be paid again").isEqualTo(200);
    }

    @Test
    void aPaymentAbandonedMidCallByADeadProcessIsSettledByThePoller() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        confirm(merchant, "test_timeout_2", "order-0001", 10_000);
        // as if the process died after the PG approved, before it could even write UNKNOWN
        db.update(PAYMENT).set(PAYMENT.STATUS, "IN_PROGRESS").set(PAYMENT.NEXT_INQUIRY_AT, OffsetDateTime.now().minusSeconds(1)).execute();

        recovery.runOnce();

        assertThat(get("/v1/payments/test_timeout_2", merchant.basicAuth()).body().get("status").asString()).isEqualTo("DONE");
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
    }

    @Test
    void anApprovalOfAnotherAmountThanOursIsNeverBooked() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        confirm(merchant, "test_timeout_mismatch", "order-0001", 10_000); // the PG approved 10,000 and never answered
        // our row now says 11,000: whatever the PG approved differs from what we asked for
        db.update(PAYMENT)
                .set(PAYMENT.TOTAL_AMOUNT, PAYMENT.TOTAL_AMOUNT.plus(1_000))
                .set(PAYMENT.BALANCE_AMOUNT, PAYMENT.BALANCE_AMOUNT.plus(1_000))
                .set(PAYMENT.SUPPLIED_AMOUNT, PAYMENT.SUPPLIED_AMOUNT.plus(1_000))
                .set(PAYMENT.NEXT_INQUIRY_AT, OffsetDateTime.now().minusSeconds(1))
                .execute();

        recovery.runOnce();

        var payment = db.select(PAYMENT.STATUS, PAYMENT.FAILURE_MESSAGE).from(PAYMENT).fetchSingle();
        assertThat(payment.value1()).as("left open for a person").isEqualTo("UNKNOWN");
        assertThat(payment.value2()).isEqualTo("PG_AMOUNT_MISMATCH: PG approved 10000");
        assertThat(walletBalance(merchant)).isZero();
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isZero();
        assertThat(db.fetchCount(PG_CALL, PG_CALL.OPERATION.eq("INQUIRY"))).as("the answer is on record").isEqualTo(1);
    }

    @Test
    void aCancelOfAnUnknownPaymentResolvesItFirst() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        confirm(merchant, "test_timeout_3", "order-0001", 10_000);

        Response cancel = post("/v1/payments/test_timeout_3/cancel", merchant.basicAuth(), Map.of("cancelReason", "x", "cancelAmount", 3_000));

        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.body().get("status").asString()).isEqualTo("PARTIAL_CANCELED");
        assertThat(cancel.body().get("balanceAmount").asLong()).isEqualTo(7_000);
        assertThat(walletBalance(merchant)).isEqualTo(7_000);
    }

    @Test
    void aCancelWhoseAnswerWasLostIsSentAgainWithTheSameKeyAndAppliedOnce() {
        TestMerchant merchant = createMerchant();
        createOrder(merchant, "order-0001", 4_500, 2);
        confirm(merchant, "pk_1", "order-0001", 10_000);
        simulator.setFaults(new SimulatorFaults(0, 0, 0, 1.0, 3_000, List.of())); // the PG cancels, then never answers

        Response cancel = post("/v1/payments/pk_1/cancel", merchant.basicAuth(), Map.of("cancelReason", "x", "cancelAmount", 4_000));

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.body().get("cancels").get(0).get("status").asString()).isEqualTo("UNKNOWN");
        assertThat(cancel.body().get("balanceAmount").asLong()).as("reserved").isEqualTo(6_000);
        assertThat(walletBalance(merchant)).as("not posted while unknown").isEqualTo(10_000);

        simulator.setFaults(SimulatorFaults.NONE);
        recovery.runOnce();

        JsonNode payment = get("/v1/payments/pk_1", merchant.basicAuth()).body();
        assertThat(payment.get("cancels").get(0).get("status").asString()).isEqualTo("DONE");
        assertThat(payment.get("status").asString()).isEqualTo("PARTIAL_CANCELED");
        assertThat(simulator.stats().get("cancels")).as("one cancel at the PG").isEqualTo(1);
        assertThat(walletBalance(merchant)).isEqualTo(6_000);
    }
}
