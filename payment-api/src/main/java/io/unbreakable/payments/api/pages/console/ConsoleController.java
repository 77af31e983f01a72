package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.time.Seoul;
import java.time.LocalDate;
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
        model.addAttribute("approvedToday", console.approvals(today, tomorrow));
        model.addAttribute("canceledToday", console.cancels(today, tomorrow));
        model.addAttribute("approved30", console.approvals(monthAgo, tomorrow));
        model.addAttribute("canceled30", console.cancels(monthAgo, tomorrow));
        model.addAttribute("chart", VolumeChart.of(monthAgo, today, console.dailyApprovals(monthAgo, tomorrow)));
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
