package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** The finance console's overview and batch pages. */
@Controller
@RequestMapping("/console")
class ConsoleController {

    private final ConsoleRepository console;
    private final LedgerService ledger;

    ConsoleController(ConsoleRepository console, LedgerService ledger) {
        this.console = console;
        this.ledger = ledger;
    }

    @GetMapping
    String overview(Model model) {
        LocalDate today = LocalDate.now(Seoul.ZONE);
        LocalDate tomorrow = today.plusDays(1);
        LocalDate monthAgo = today.minusDays(29);
        Area.CONSOLE.addTo(model);
        model.addAttribute("today", today);
        // one pass over each table for the 30 days; today's figures are the last day's row
        List<ConsoleRepository.DailyVolume> approvals = console.dailyApprovals(monthAgo, tomorrow);
        List<ConsoleRepository.DailyVolume> cancels = console.dailyCancels(monthAgo, tomorrow);
        model.addAttribute("approvedToday", ConsoleRepository.Totals.of(approvals, today));
        model.addAttribute("canceledToday", ConsoleRepository.Totals.of(cancels, today));
        model.addAttribute("approved30", ConsoleRepository.Totals.sum(approvals));
        model.addAttribute("canceled30", ConsoleRepository.Totals.sum(cancels));
        model.addAttribute("chart", VolumeChart.of(monthAgo, today, approvals));
        model.addAttribute("open", console.openOutcomes());
        model.addAttribute("jobs", console.lastRunOfEachJob());
        model.addAttribute("trialBalance", ledger.trialBalance());
        return "console/overview";
    }

    @GetMapping("/batch")
    String batch(Model model) {
        Area.CONSOLE.addTo(model);
        model.addAttribute("runs", console.jobRuns(50));
        model.addAttribute("discrepancies", console.discrepancies(200));
        return "console/batch";
    }
}
