package io.unbreakable.payments.api.settlement;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.api.merchant.AuthenticatedMerchant;
import io.unbreakable.payments.settlement.SettlementResponse;
import java.time.LocalDate;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Settlements", description = "D+1 settlements written by settlementJob")
class SettlementController {

    private final SettlementService settlements;

    SettlementController(SettlementService settlements) {
        this.settlements = settlements;
    }

    @GetMapping("/v1/settlements")
    @Operation(operationId = "getSettlements", summary = "The calling merchant's settlement of a sales date (empty when there was nothing to settle)")
    List<SettlementResponse> mine(AuthenticatedMerchant merchant,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
        return settlements.forMerchant(merchant.merchantId(), date).stream().map(SettlementResponse::of).toList();
    }

    @GetMapping("/v1/admin/settlements")
    @Operation(operationId = "getAllSettlements", summary = "Finance: every merchant's settlement of a sales date")
    List<SettlementResponse> all(@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
        return settlements.all(date).stream().map(SettlementResponse::of).toList();
    }

    @GetMapping(path = "/v1/payouts/{payoutId}/report.csv", produces = "text/csv")
    @Operation(operationId = "getPayoutReportCsv", summary = "The payout report as CSV (UTF-8 with BOM, opens in Excel)")
    ResponseEntity<Resource> csv(AuthenticatedMerchant merchant, @PathVariable long payoutId) {
        return PayoutReportResponses.csv(settlements.report(merchant.merchantId(), payoutId, true));
    }

    @GetMapping(path = "/v1/payouts/{payoutId}/report.html", produces = "text/html")
    @Operation(operationId = "getPayoutReportHtml", summary = "The payout report as a readable page")
    ResponseEntity<Resource> html(AuthenticatedMerchant merchant, @PathVariable long payoutId) {
        return PayoutReportResponses.html(settlements.report(merchant.merchantId(), payoutId, false));
    }
}
