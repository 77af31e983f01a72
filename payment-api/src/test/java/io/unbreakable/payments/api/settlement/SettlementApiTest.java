package io.unbreakable.payments.api.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Settlements and payout reports as the batch writes them, read through the API, each merchant only its own. */
class SettlementApiTest extends ApiTest {

    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    @Test
    void aMerchantReadsItsOwnSettlementAndReportAndFinanceReadsAll() throws Exception {
        TestMerchant owner = createMerchant("owner", "INDIVIDUAL", "0.033");
        TestMerchant other = createMerchant("other", "BUSINESS", "0.033");
        long payoutId = insertSettlementWithReport(owner.merchantId(), MONDAY).payoutId();

        JsonNode mine = get("/v1/settlements?date=" + MONDAY, owner.basicAuth()).body();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("salesAmount").asLong()).isEqualTo(1_000_000);
        assertThat(mine.get(0).get("withholding").asLong()).isEqualTo(31_800);
        assertThat(mine.get(0).get("payoutAmount").asLong()).isEqualTo(931_900);
        assertThat(mine.get(0).get("payoutDate").asString()).isEqualTo("2026-11-24");
        assertThat(mine.get(0).get("feeRate").asString()).isEqualTo("0.033");
        assertThat(get("/v1/settlements?date=" + MONDAY, other.basicAuth()).body()).isEmpty();
        assertThat(get("/v1/admin/settlements?date=" + MONDAY, ADMIN).body()).hasSize(1);

        Response csv = get("/v1/payouts/" + payoutId + "/report.csv", owner.basicAuth());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValueSatisfying(value -> assertThat(value).contains("attachment"));
        assertThat(csv.text()).startsWith("\uFEFF거래일시,구분");
        assertThat(get("/v1/payouts/" + payoutId + "/report.csv", other.basicAuth()).status()).isEqualTo(404);
        assertThat(get("/v1/payouts/" + payoutId + "/report.html", other.basicAuth()).status()).isEqualTo(404);
    }

    @Test
    void aBadDateIsAClientError() {
        TestMerchant merchant = createMerchant();
        Response response = get("/v1/settlements?date=yesterday", merchant.basicAuth());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("INVALID_REQUEST");
    }
}
