package io.unbreakable.payments.api.settlement;

import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static io.unbreakable.payments.db.jooq.Tables.SETTLEMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/** Settlements and payout reports as the batch writes them, read through the API, each merchant only its own. */
class SettlementApiTest extends ApiTest {

    static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);

    @Value("${payments.settlement.report-directory}")
    Path reportDirectory;

    @Test
    void aMerchantReadsItsOwnSettlementAndReportAndFinanceReadsAll() throws Exception {
        TestMerchant owner = createMerchant("owner", "INDIVIDUAL", "0.033");
        TestMerchant other = createMerchant("other", "BUSINESS", "0.033");
        long payoutId = settlementWithReport(owner.merchantId());

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

    private long settlementWithReport(long merchantId) throws Exception {
        long settlementId = db.insertInto(SETTLEMENT).set(SETTLEMENT.MERCHANT_ID, merchantId).set(SETTLEMENT.SALES_DATE, MONDAY)
                .set(SETTLEMENT.BUSINESS_TYPE, "INDIVIDUAL").set(SETTLEMENT.FEE_RATE, new BigDecimal("0.033"))
                .set(SETTLEMENT.APPROVAL_COUNT, 1).set(SETTLEMENT.APPROVAL_AMOUNT, 1_000_000L)
                .set(SETTLEMENT.CANCEL_COUNT, 0).set(SETTLEMENT.CANCEL_AMOUNT, 0L).set(SETTLEMENT.SALES_AMOUNT, 1_000_000L)
                .set(SETTLEMENT.FEE, 33_000L).set(SETTLEMENT.FEE_VAT, 3_300L).set(SETTLEMENT.WITHHOLDING_INCOME_TAX, 28_910L)
                .set(SETTLEMENT.WITHHOLDING_LOCAL_TAX, 2_890L).set(SETTLEMENT.WITHHOLDING, 31_800L)
                .set(SETTLEMENT.CARRIED_IN_AMOUNT, 0L).set(SETTLEMENT.CARRIED_OUT_AMOUNT, 0L).set(SETTLEMENT.PAYOUT_AMOUNT, 931_900L)
                .set(SETTLEMENT.PAYOUT_DATE, MONDAY.plusDays(1))
                .returning(SETTLEMENT.ID).fetchSingle(SETTLEMENT.ID);
        String csv = MONDAY + "/merchant-" + merchantId + "/payout-report.csv";
        Files.createDirectories(reportDirectory.resolve(csv).getParent());
        Files.writeString(reportDirectory.resolve(csv), "\uFEFF거래일시,구분\r\n", StandardCharsets.UTF_8);
        Files.writeString(reportDirectory.resolve(csv.replace(".csv", ".html")), "<html></html>", StandardCharsets.UTF_8);
        return db.insertInto(PAYOUT).set(PAYOUT.SETTLEMENT_ID, settlementId).set(PAYOUT.MERCHANT_ID, merchantId)
                .set(PAYOUT.AMOUNT, 931_900L).set(PAYOUT.PAYOUT_DATE, MONDAY.plusDays(1)).set(PAYOUT.STATUS, "SCHEDULED")
                .set(PAYOUT.REPORT_CSV_PATH, csv).set(PAYOUT.REPORT_HTML_PATH, csv.replace(".csv", ".html"))
                .returning(PAYOUT.ID).fetchSingle(PAYOUT.ID);
    }
}
