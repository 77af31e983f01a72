package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.api.pages.SettlementPages;
import io.unbreakable.payments.api.settlement.PayoutReportResponses;
import io.unbreakable.payments.settlement.Settlement;
import io.unbreakable.payments.api.settlement.SettlementService;
import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

/** Settlements of a sales date for finance: totals, one row per merchant, its lines, its payout reports. */
@Controller
@RequestMapping("/console")
class ConsoleSettlementsController {

    private final SettlementService settlements;
    private final SettlementPages pages;

    ConsoleSettlementsController(SettlementService settlements, SettlementPages pages) {
        this.settlements = settlements;
        this.pages = pages;
    }

    /** {@code date}: the sales date D; yesterday in Seoul (the last one settled) when absent. */
    @GetMapping("/settlements")
    String list(DateForm dateForm, BindingResult binding, Model model) {
        LocalDate date = binding.hasErrors() || dateForm.date() == null ? LocalDate.now(Seoul.ZONE).minusDays(1) : dateForm.date();
        List<Settlement> rows = settlements.all(date);
        Area.CONSOLE.addTo(model);
        model.addAttribute("date", date);
        model.addAttribute("settlements", rows);
        model.addAttribute("totals", SettlementTotals.of(rows));
        return "console/settlements";
    }

    @GetMapping("/settlements/{settlementId}")
    String detail(@PathVariable long settlementId, Model model) {
        Area.CONSOLE.addTo(model);
        model.addAttribute("detail", pages.detail(settlements.getForFinance(settlementId)));
        return "pages/settlement";
    }

    @GetMapping("/payouts/{payoutId}/report.csv")
    ResponseEntity<Resource> csv(@PathVariable long payoutId) {
        return PayoutReportResponses.csv(settlements.reportForFinance(payoutId, true));
    }

    @GetMapping("/payouts/{payoutId}/report.html")
    ResponseEntity<Resource> html(@PathVariable long payoutId) {
        return PayoutReportResponses.html(settlements.reportForFinance(payoutId, false));
    }

    record DateForm(@DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
    }

    /** The day's sums over all merchants, as the totals row of the table. */
    record SettlementTotals(int merchants, long approvalAmount, long cancelAmount, long salesAmount, long fee, long feeVat,
            long withholding, long payoutAmount) {

        static SettlementTotals of(List<Settlement> rows) {
            return new SettlementTotals(rows.size(),
                    rows.stream().mapToLong(Settlement::approvalAmount).sum(),
                    rows.stream().mapToLong(Settlement::cancelAmount).sum(),
                    rows.stream().mapToLong(Settlement::salesAmount).sum(),
                    rows.stream().mapToLong(Settlement::fee).sum(),
                    rows.stream().mapToLong(Settlement::feeVat).sum(),
                    rows.stream().mapToLong(Settlement::withholding).sum(),
                    rows.stream().mapToLong(Settlement::payoutAmount).sum());
        }
    }
}
