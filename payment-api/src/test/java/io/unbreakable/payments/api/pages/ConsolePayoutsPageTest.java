package io.unbreakable.payments.api.pages;

import static io.unbreakable.payments.db.jooq.Tables.AUDIT_EVENT;
import static io.unbreakable.payments.db.jooq.Tables.PAYOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.unbreakable.payments.api.ApiTest;
import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.payout.BankTransferFile;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The console's payouts page and the portal's payout list: totals, hold / release with a reason, the transfer file download. */
class ConsolePayoutsPageTest extends ApiTest {

    @Autowired
    DataCipher cipher;

    @Test
    void financeSeesTheDaysPayoutsWithTotalsHoldsOneAndTheMerchantSeesWhy() throws Exception {
        TestMerchant merchant = createMerchant();
        long payoutId = insertSettlementWithReport(merchant.merchantId(), LocalDate.parse("2026-11-24")).payoutId();
        PageSession finance = new PageSession(port, "ko");
        finance.signIn("/console", "finance", "test-console-password");

        PageSession.Page page = finance.get("/console/payouts?date=2026-11-25");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("payouts-table").contains("₩931,900").contains("지급 예정").contains("payout-hold");

        PageSession.Page emptyReason = finance.post("/console/payouts/" + payoutId + "/hold", Map.of("reason", " "));
        assertThat(emptyReason.status()).isEqualTo(302);
        assertThat(db.select(PAYOUT.STATUS).from(PAYOUT).fetchSingle(PAYOUT.STATUS)).isEqualTo("SCHEDULED");

        assertThat(finance.post("/console/payouts/" + payoutId + "/hold", Map.of("reason", "사업자 서류 확인 중")).status()).isEqualTo(302);
        PageSession.Page held = finance.get("/console/payouts?date=2026-11-25&status=HELD");
        assertThat(held.body()).contains("FINANCE_HOLD").contains("사업자 서류 확인 중").contains("payout-release");
        assertThat(finance.get("/console/payouts?date=2026-11-25&status=PAID").body()).contains("id=\"no-payouts\"");
        assertThat(finance.get("/console/payouts?date=not-a-date").status()).isEqualTo(200);

        PageSession portal = new PageSession(port, "ko");
        finance.get("/console/merchants/" + merchant.merchantId());
        finance.post("/console/merchants/" + merchant.merchantId() + "/portal-password",
                Map.of("password", "portal-password-1", "confirmation", "portal-password-1"));
        portal.signIn("/merchant", Long.toString(merchant.merchantId()), "portal-password-1");
        assertThat(portal.get("/merchant").body()).contains("portal-payouts").contains("보류").contains("사업자 서류 확인 중");
    }

    @Test
    void theTransferFileDownloadIsTheBankFileWithWholeNumbersAndIsAudited() throws Exception {
        TestMerchant merchant = createMerchant();
        long payoutId = insertSettlementWithReport(merchant.merchantId(), LocalDate.parse("2026-11-24")).payoutId();
        db.update(PAYOUT).set(PAYOUT.STATUS, "REQUESTED").set(PAYOUT.GATEWAY, "BANK_FILE").set(PAYOUT.ATTEMPT, 1)
                .set(PAYOUT.BANK_CODE, "088").set(PAYOUT.ACCOUNT_HOLDER, "홍길동")
                .set(PAYOUT.ACCOUNT_NUMBER, cipher.encrypt(V72__encrypt_payout_account_numbers.PURPOSE, "110123456789"))
                .set(PAYOUT.TRANSFER_FILE, "transfer-2026-11-25.csv").where(PAYOUT.ID.eq(payoutId)).execute();
        PageSession finance = new PageSession(port, "ko");
        finance.signIn("/console", "finance", "test-console-password");

        assertThat(finance.get("/console/payouts?date=2026-11-25").body()).contains("transfer-2026-11-25.csv");
        PageSession.Page file = finance.get("/console/payouts/transfer-files/transfer-2026-11-25.csv");

        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).startsWith(BankTransferFile.TRANSFER_HEADER)
                .contains("088,110123456789,홍길동,931900,UP정산 " + payoutId + "," + payoutId).contains("TRAILER,1,931900,");
        assertThat(db.fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("PAYOUT_TRANSFER_FILE_DOWNLOADED"))).isEqualTo(1);
        assertThat(finance.get("/console/payouts/transfer-files/transfer-2026-11-26.csv").status()).isEqualTo(404);
    }
}
