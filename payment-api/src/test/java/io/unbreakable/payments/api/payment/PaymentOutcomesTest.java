package io.unbreakable.payments.api.payment;

import static io.unbreakable.payments.db.jooq.Tables.LEDGER_TRANSACTION;
import static io.unbreakable.payments.db.jooq.Tables.ORDER_ITEM;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYMENT_CANCEL;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.payment.PaymentStatus;
import io.unbreakable.payments.pg.PgPayment;
import io.unbreakable.payments.pg.PgResult;
import io.unbreakable.payments.pgsim.SimulatorFaults;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The payment state transitions, answer by answer: every PG answer {@link PaymentOutcomes} can be given,
 * applied to a payment or cancel whose outcome is open, and applied again once it is closed (the request
 * path and the recovery poller may both hold the same answer). Each asserts the row, the ledger, the
 * merchant's webhook events and the PG call on record.
 */
@ExtendWith(OutputCaptureExtension.class)
class PaymentOutcomesTest extends ApiTest {

    /** When the PG says it approved or cancelled: a time no clock here could produce. */
    private static final OffsetDateTime PG_TIME = OffsetDateTime.of(2026, 3, 2, 10, 15, 30, 0, ZoneOffset.ofHours(9));
    private static final Duration RETRY_AFTER = Duration.ofMinutes(7);

    @Autowired
    PaymentOutcomes outcomes;

    @Autowired
    PaymentRepository payments;

    private TestMerchant merchant;
    private JsonNode order;

    @BeforeEach
    void aMerchantWithAWebhookAndAnOrderOf10000Won() {
        merchant = createMerchant();
        Response webhook = post("/v1/webhooks", merchant.basicAuth(),
                Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("PAYMENT_STATUS_CHANGED")));
        assertThat(webhook.status()).as(webhook.text()).isEqualTo(201);
        order = createOrder(merchant, "order-1", 4_500, 2);
    }

    @Test
    void anApprovalOfAnOpenPaymentBooksItOnceAndReturnsItAsCommitted() {
        long paymentId = claim();

        Optional<Payment> approved = outcomes.applyPaymentResult(confirmCall(paymentId, pgPayment("DONE", 10_000, PG_TIME)), true, RETRY_AFTER);

        assertThat(approved).as("the confirm's response needs no second read").hasValueSatisfying(payment -> {
            assertThat(payment.id()).isEqualTo(paymentId);
            assertThat(payment.status()).isEqualTo(PaymentStatus.DONE);
            assertThat(payment.method()).isEqualTo("카드");
            assertThat(payment.approvedAt()).isEqualTo(PG_TIME);
        });
        assertThat(payments.get(paymentId).approvedAt()).as("the PG's approval time").isEqualTo(PG_TIME);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
        assertThat(db.fetchCount(WEBHOOK_EVENT)).isEqualTo(1);
        assertThat(pgCalls(paymentId)).containsExactly("CONFIRM SUCCESS 200 null");

        Optional<Payment> again = outcomes.applyPaymentResult(confirmCall(paymentId, pgPayment("DONE", 10_000, PG_TIME)), true, RETRY_AFTER);

        assertThat(again).as("someone else applied it first").isEmpty();
        assertThat(payments.get(paymentId).status()).isEqualTo(PaymentStatus.DONE);
        assertThat(walletBalance(merchant)).as("booked once").isEqualTo(10_000);
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isEqualTo(1);
        assertThat(db.fetchCount(WEBHOOK_EVENT)).as("one event per change").isEqualTo(1);
        assertThat(pgCalls(paymentId)).as("every answer is on record").hasSize(2);
    }

    @Test
    void anApprovalWithoutItsTimeIsStampedWhenItIsApplied() {
        long paymentId = claim();

        outcomes.applyPaymentResult(confirmCall(paymentId, pgPayment("DONE", 10_000, null)), true, RETRY_AFTER);

        assertThat(payments.get(paymentId).approvedAt()).isBetween(OffsetDateTime.now().minusMinutes(1), OffsetDateTime.now());
    }

    @Test
    void anApprovalOfAnotherAmountIsLeftUnknownForAPersonAndLogged(CapturedOutput output) {
        long paymentId = claim();

        Optional<Payment> approved = outcomes.applyPaymentResult(confirmCall(paymentId, pgPayment("DONE", 11_000, PG_TIME)), true, RETRY_AFTER);

        assertThat(approved).isEmpty();
        Payment payment = payments.get(paymentId);
        assertThat(payment.status()).isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(payment.failureMessage()).isEqualTo("PG_AMOUNT_MISMATCH: PG approved 11000");
        assertThat(secondsUntilNextInquiry(paymentId)).as("asked again in an hour").isBetween(3_540L, 3_600L);
        assertThat(walletBalance(merchant)).isZero();
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).isZero();
        assertThat(db.fetchCount(WEBHOOK_EVENT)).isZero();
        assertThat(pgCalls(paymentId)).containsExactly("CONFIRM SUCCESS 200 null");
        assertThat(output.getOut()).contains("PG approved 11000 won for payment pk_1 but the order is 10000 won");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ABORTED", "EXPIRED"})
    void aPaymentThePgReportsAbortedOrExpiredIsAbortedOnce(String pgStatus) {
        long paymentId = claim();

        outcomes.applyPaymentResult(inquiryCall(paymentId, new PgResult.Success<>(pgPayment(pgStatus, 10_000, null))), false, RETRY_AFTER);
        outcomes.applyPaymentResult(inquiryCall(paymentId, new PgResult.Success<>(pgPayment(pgStatus, 10_000, null))), false, RETRY_AFTER);

        Payment payment = payments.get(paymentId);
        assertThat(payment.status()).isEqualTo(PaymentStatus.ABORTED);
        assertThat(payment.failureCode()).isEqualTo("PG_" + pgStatus);
        assertThat(payment.failureMessage()).isEqualTo("the PG reports " + pgStatus);
        assertThat(db.fetchCount(WEBHOOK_EVENT)).as("the merchant is told once").isEqualTo(1);
        assertThat(pgCalls(paymentId)).containsExactly("INQUIRY SUCCESS 200 null", "INQUIRY SUCCESS 200 null");
        assertThat(walletBalance(merchant)).isZero();
    }

    @Test
    void aPaymentStillInProgressAtThePgStaysOpenAndIsAskedAgainLater() {
        long paymentId = claim();

        outcomes.applyPaymentResult(inquiryCall(paymentId, new PgResult.Success<>(pgPayment("IN_PROGRESS", 10_000, null))), true, RETRY_AFTER);

        assertUnknown(paymentId, "the PG reports IN_PROGRESS");
        assertThat(pgCalls(paymentId)).containsExactly("INQUIRY SUCCESS 200 null");
    }

    @Test
    void aDeclineAbortsThePaymentWhenAnAbortIsFinal() {
        long paymentId = claim();

        outcomes.applyPaymentResult(confirmCall(paymentId, new PgResult.Declined<>(403, "REJECT_CARD_COMPANY", "카드사에서 거절했습니다")),
                true, RETRY_AFTER);

        Payment payment = payments.get(paymentId);
        assertThat(payment.status()).isEqualTo(PaymentStatus.ABORTED);
        assertThat(payment.failureCode()).isEqualTo("REJECT_CARD_COMPANY");
        assertThat(payment.failureMessage()).isEqualTo("카드사에서 거절했습니다");
        assertThat(db.fetchCount(WEBHOOK_EVENT)).isEqualTo(1);
        assertThat(pgCalls(paymentId)).containsExactly("CONFIRM FAILURE 403 REJECT_CARD_COMPANY");
    }

    @Test
    void aPaymentThePgDoesNotKnowYetIsNotAbortedWhileAConfirmMayStillArrive() {
        long paymentId = claim();

        outcomes.applyPaymentResult(inquiryCall(paymentId, new PgResult.Declined<>(404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제")),
                false, RETRY_AFTER);

        assertUnknown(paymentId, "NOT_FOUND_PAYMENT: 존재하지 않는 결제");
        assertThat(pgCalls(paymentId)).containsExactly("INQUIRY FAILURE 404 NOT_FOUND_PAYMENT");
    }

    @Test
    void alreadyProcessedIsNeverReadAsADecline() {
        long paymentId = claim();

        outcomes.applyPaymentResult(confirmCall(paymentId, new PgResult.Declined<>(400, "ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제")),
                true, RETRY_AFTER);

        assertUnknown(paymentId, "ALREADY_PROCESSED_PAYMENT: 이미 처리된 결제");
    }

    @Test
    void noAnswerLeavesThePaymentUnknown() {
        long paymentId = claim();

        outcomes.applyPaymentResult(confirmCall(paymentId, new PgResult.Unknown<>("read timed out")), true, RETRY_AFTER);

        assertUnknown(paymentId, "read timed out");
        assertThat(pgCalls(paymentId)).containsExactly("CONFIRM UNKNOWN null null");
    }

    @Test
    void aCancelThePgDidIsBookedOnceWithItsTransactionKeyAndTime() {
        long cancelId = openCancel(Map.of("cancelReason", "고객 변심", "cancelAmount", 4_000));
        long paymentId = paymentId();
        List<PgPayment.Cancel> pgCancels = List.of(new PgPayment.Cancel("tx-earlier", 1_000, "먼저", PG_TIME.minusDays(1)),
                new PgPayment.Cancel("tx-ours", 4_000, "고객 변심", PG_TIME));
        int eventsBefore = db.fetchCount(WEBHOOK_EVENT);

        outcomes.applyCancelResult(cancelId, cancelCall(paymentId, cancelId, new PgResult.Success<>(canceled(pgCancels))), RETRY_AFTER);

        Payment.Cancel cancel = payments.get(paymentId).cancels().get(0);
        assertThat(cancel.status()).isEqualTo(Payment.CancelStatus.DONE);
        assertThat(cancel.transactionKey()).as("the last cancel of the PG's answer is ours").isEqualTo("tx-ours");
        assertThat(cancel.canceledAt()).isEqualTo(PG_TIME);
        assertThat(payments.get(paymentId).status()).isEqualTo(PaymentStatus.PARTIAL_CANCELED);
        assertThat(payments.get(paymentId).balanceAmount()).isEqualTo(6_000);
        assertThat(walletBalance(merchant)).isEqualTo(6_000);
        assertThat(db.fetchCount(WEBHOOK_EVENT)).isEqualTo(eventsBefore + 1);

        outcomes.applyCancelResult(cancelId, cancelCall(paymentId, cancelId, new PgResult.Success<>(canceled(pgCancels))), RETRY_AFTER);

        assertThat(walletBalance(merchant)).as("booked once").isEqualTo(6_000);
        assertThat(db.fetchCount(LEDGER_TRANSACTION)).as("the approval and one cancel").isEqualTo(2);
        assertThat(db.fetchCount(WEBHOOK_EVENT)).isEqualTo(eventsBefore + 1);
        assertThat(pgCalls(paymentId)).as("the first try and both answers").containsExactly("CONFIRM SUCCESS 200 null",
                "CANCEL UNKNOWN null null", "CANCEL SUCCESS 200 null", "CANCEL SUCCESS 200 null");
    }

    @Test
    void aCancelOfEverythingWhoseAnswerNamesNoCancelIsStampedWhenItIsApplied() {
        long cancelId = openCancel(Map.of("cancelReason", "전액 취소"));

        outcomes.applyCancelResult(cancelId, cancelCall(paymentId(), cancelId, new PgResult.Success<>(canceled(List.of()))), RETRY_AFTER);

        Payment payment = payments.get(paymentId());
        assertThat(payment.status()).isEqualTo(PaymentStatus.CANCELED);
        assertThat(payment.cancels().get(0).transactionKey()).isNull();
        assertThat(payment.cancels().get(0).canceledAt()).isBetween(OffsetDateTime.now().minusMinutes(1), OffsetDateTime.now());
        assertThat(walletBalance(merchant)).isZero();
    }

    @Test
    void aCancelWhoseAnswerHasNoTimeIsStampedWhenItIsApplied() {
        long cancelId = openCancel(Map.of("cancelReason", "부분 취소", "cancelAmount", 2_500));

        outcomes.applyCancelResult(cancelId, cancelCall(paymentId(), cancelId,
                new PgResult.Success<>(canceled(List.of(new PgPayment.Cancel("tx-1", 2_500, "부분 취소", null))))), RETRY_AFTER);

        Payment.Cancel cancel = payments.get(paymentId()).cancels().get(0);
        assertThat(cancel.transactionKey()).isEqualTo("tx-1");
        assertThat(cancel.canceledAt()).isBetween(OffsetDateTime.now().minusMinutes(1), OffsetDateTime.now());
        assertThat(walletBalance(merchant)).isEqualTo(7_500);
    }

    @Test
    void aRefusedCancelGivesItsReservationBackOnce() {
        long itemId = order.get("items").get(0).get("itemId").asLong();
        long cancelId = openCancel(Map.of("cancelReason", "품절", "items", List.of(Map.of("itemId", itemId, "quantity", 1))));
        long paymentId = paymentId();
        assertThat(payments.get(paymentId).balanceAmount()).as("reserved").isEqualTo(5_500);
        assertThat(canceledQuantity(itemId)).isEqualTo(1);
        PgResult.Declined<PgPayment> refused = new PgResult.Declined<>(400, "NOT_CANCELABLE_AMOUNT", "취소할 수 없는 금액");

        outcomes.applyCancelResult(cancelId, cancelCall(paymentId, cancelId, refused), RETRY_AFTER);

        assertThat(payments.get(paymentId).balanceAmount()).as("given back").isEqualTo(10_000);
        assertThat(canceledQuantity(itemId)).isZero();

        outcomes.applyCancelResult(cancelId, cancelCall(paymentId, cancelId, refused), RETRY_AFTER);

        Payment payment = payments.get(paymentId);
        assertThat(payment.cancels().get(0).status()).isEqualTo(Payment.CancelStatus.ABORTED);
        assertThat(payment.cancels().get(0).failureCode()).isEqualTo("NOT_CANCELABLE_AMOUNT");
        assertThat(payment.balanceAmount()).as("given back once").isEqualTo(10_000);
        assertThat(payment.status()).isEqualTo(PaymentStatus.DONE);
        assertThat(canceledQuantity(itemId)).isZero();
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
        assertThat(pgCalls(paymentId)).endsWith("CANCEL FAILURE 400 NOT_CANCELABLE_AMOUNT", "CANCEL FAILURE 400 NOT_CANCELABLE_AMOUNT");
    }

    @Test
    void aCancelWithoutAnAnswerStaysReservedAndIsSentAgainLater() {
        long cancelId = openCancel(Map.of("cancelReason", "부분 취소", "cancelAmount", 3_000));

        outcomes.applyCancelResult(cancelId, cancelCall(paymentId(), cancelId, new PgResult.Unknown<>("connection reset")), RETRY_AFTER);

        Payment.Cancel cancel = payments.get(paymentId()).cancels().get(0);
        assertThat(cancel.status()).isEqualTo(Payment.CancelStatus.UNKNOWN);
        assertThat(cancel.failureMessage()).isEqualTo("connection reset");
        assertThat(secondsFromNow("select next_retry_at from payment_cancel where id = ?", cancelId)).isBetween(400L, 420L);
        assertThat(payments.get(paymentId()).balanceAmount()).isEqualTo(7_000);
        assertThat(walletBalance(merchant)).isEqualTo(10_000);
    }

    /** The confirm's first step: the order claimed for pk_1 (IN_PROGRESS), before any PG is called. */
    private long claim() {
        return payments.claim(merchant.merchantId(), "order-1", "pk_1", "toss", 10_000, 9_091, 909, Duration.ofMinutes(1)).orElseThrow();
    }

    /** pk_1 approved over HTTP, then a cancel the PG answered with a 500 (nothing done): reserved, outcome open. */
    private long openCancel(Map<String, Object> cancel) {
        assertThat(confirm(merchant, "pk_1", "order-1", 10_000).status()).isEqualTo(200);
        simulator.setFaults(new SimulatorFaults(0, 0, 1.0, 0, 3_000, List.of()));
        Response response = post("/v1/payments/pk_1/cancel", merchant.basicAuth(), cancel);
        simulator.setFaults(SimulatorFaults.NONE);
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return db.fetchSingle(PAYMENT_CANCEL).getId();
    }

    private long paymentId() {
        return db.fetchSingle(PAYMENT).getId();
    }

    private void assertUnknown(long paymentId, String reason) {
        Payment payment = payments.get(paymentId);
        assertThat(payment.status()).isEqualTo(PaymentStatus.UNKNOWN);
        assertThat(payment.failureMessage()).isEqualTo(reason);
        assertThat(secondsUntilNextInquiry(paymentId)).as("asked again after the backoff").isBetween(400L, 420L);
        assertThat(walletBalance(merchant)).isZero();
        assertThat(db.fetchCount(WEBHOOK_EVENT)).isZero();
    }

    private long secondsUntilNextInquiry(long paymentId) {
        return secondsFromNow("select next_inquiry_at from payment where id = ?", paymentId);
    }

    /** How far after the database's now the time {@code query} selects is. */
    private long secondsFromNow(String query, long id) {
        return db.fetchSingle("select extract(epoch from (" + query + ") - now())::bigint", id).get(0, Long.class);
    }

    private int canceledQuantity(long itemId) {
        return db.fetchValue(ORDER_ITEM.CANCELED_QUANTITY, ORDER_ITEM.ID.eq(itemId));
    }

    private List<String> pgCalls(long paymentId) {
        return db.fetch("select operation || ' ' || outcome || ' ' || coalesce(http_status::text, 'null') || ' '"
                + " || coalesce(error_code, 'null') from pg_call where payment_id = ? order by id", paymentId).getValues(0, String.class);
    }

    private static PgPayment pgPayment(String status, long totalAmount, OffsetDateTime approvedAt) {
        return new PgPayment("pk_1", "order-1", status, "카드", totalAmount, totalAmount, approvedAt, List.of());
    }

    private static PgPayment canceled(List<PgPayment.Cancel> cancels) {
        return new PgPayment("pk_1", "order-1", "PARTIAL_CANCELED", "카드", 10_000, 0, PG_TIME, cancels);
    }

    private static PgCaller.PgCall confirmCall(long paymentId, PgPayment answer) {
        return confirmCall(paymentId, new PgResult.Success<>(answer));
    }

    private static PgCaller.PgCall confirmCall(long paymentId, PgResult<PgPayment> answer) {
        return new PgCaller.PgCall(paymentId, "toss", "CONFIRM", PaymentService.confirmIdempotencyKey("pk_1"), answer, 12);
    }

    private static PgCaller.PgCall inquiryCall(long paymentId, PgResult<PgPayment> answer) {
        return new PgCaller.PgCall(paymentId, "toss", "INQUIRY", null, answer, 12);
    }

    private static PgCaller.PgCall cancelCall(long paymentId, long cancelId, PgResult<PgPayment> answer) {
        return new PgCaller.PgCall(paymentId, "toss", "CANCEL", PaymentService.cancelIdempotencyKey(cancelId), answer, 12);
    }
}
