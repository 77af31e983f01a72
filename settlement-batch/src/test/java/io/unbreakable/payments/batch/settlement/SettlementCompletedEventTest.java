package io.unbreakable.payments.batch.settlement;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_DELIVERY;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_ENDPOINT;
import static io.unbreakable.payments.db.jooq.Tables.WEBHOOK_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.batch.BatchTest;
import io.unbreakable.payments.batch.job.BatchExitCode;
import io.unbreakable.payments.db.jooq.tables.records.PayoutRecord;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The settlement job writes SETTLEMENT_COMPLETED into the outbox with the payout's report links; the API delivers it. */
class SettlementCompletedEventTest extends BatchTest {

    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    @Test
    void aSettledMerchantWithAnEndpointGetsItsSettlementWithReportLinksOnceItsReportIsWritten() throws Exception {
        long subscribed = merchant("BUSINESS", "0.033");
        long other = merchant("BUSINESS", "0.033");
        db.insertInto(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.MERCHANT_ID, subscribed).set(WEBHOOK_ENDPOINT.URL, "https://hooks.example/settled")
                .set(WEBHOOK_ENDPOINT.EVENT_TYPES, new String[] {"SETTLEMENT_COMPLETED"})
                .set(WEBHOOK_ENDPOINT.SECRET, cipher.encrypt("webhook_endpoint.secret", "whsec_c2VjcmV0")).execute();
        approve(subscribed, 100_000, MONDAY);
        approve(other, 50_000, MONDAY);

        assertThat(runner.run("settlementJob", List.of("date=" + MONDAY))).isEqualTo(BatchExitCode.COMPLETED);

        List<String> payloads = db.select(WEBHOOK_EVENT.PAYLOAD).from(WEBHOOK_EVENT).fetch(WEBHOOK_EVENT.PAYLOAD);
        assertThat(payloads).as("only the merchant with an endpoint").hasSize(1);
        JsonNode event = JsonMapper.builder().build().readTree(payloads.get(0));
        PayoutRecord payout = db.selectFrom(PAYOUT).where(PAYOUT.MERCHANT_ID.eq(subscribed)).fetchSingle();
        assertThat(event.get("eventType").asString()).isEqualTo("SETTLEMENT_COMPLETED");
        JsonNode data = event.get("data");
        assertThat(data.get("merchantId").asLong()).isEqualTo(subscribed);
        assertThat(data.get("salesDate").asString()).isEqualTo(MONDAY.toString());
        assertThat(data.get("payoutAmount").asLong()).isEqualTo(96_370);
        assertThat(data.get("payoutId").asLong()).isEqualTo(payout.getId());
        assertThat(data.get("reportCsvUrl").asString()).isEqualTo("/v1/payouts/" + payout.getId() + "/report.csv");
        assertThat(data.get("reportHtmlUrl").asString()).isEqualTo("/v1/payouts/" + payout.getId() + "/report.html");
        assertThat(payout.getReportCsvPath()).as("the report the link reads is written").isNotNull();
        assertThat(db.fetchCount(WEBHOOK_DELIVERY)).isEqualTo(1);

        assertThat(runner.run("settlementJob", List.of("date=" + MONDAY))).isEqualTo(BatchExitCode.COMPLETED);
        assertThat(db.fetchCount(WEBHOOK_EVENT)).as("a rerun settles and reports nothing again").isEqualTo(1);
    }
}
