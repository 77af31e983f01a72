package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.audit.AuditEvent;
import io.unbreakable.payments.audit.AuditFilter;
import io.unbreakable.payments.audit.AuditTrail;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** The audit trail for finance: newest first, by actor and/or target ("CONSOLE_USER:kim", "MERCHANT:12"), older pages by keyset. */
@Controller
@RequestMapping("/console/audit")
class ConsoleAuditController {

    static final int PAGE_SIZE = 100;

    private final AuditTrail audit;

    ConsoleAuditController(AuditTrail audit) {
        this.audit = audit;
    }

    @GetMapping
    String list(AuditQuery query, Model model) {
        List<AuditEvent> events = audit.latest(AuditFilter.of(null, query.actor(), query.target()), query.before(), PAGE_SIZE);
        Area.CONSOLE.addTo(model);
        model.addAttribute("query", query);
        model.addAttribute("events", events);
        model.addAttribute("olderBefore", events.size() < PAGE_SIZE ? null : events.get(events.size() - 1).id());
        return "console/audit";
    }

    record AuditQuery(@Size(max = 250) String actor, @Size(max = 250) String target, Long before) {
    }
}
