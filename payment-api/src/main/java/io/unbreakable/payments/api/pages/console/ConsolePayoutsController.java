package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.api.payout.PayoutFilter;
import io.unbreakable.payments.api.payout.PayoutService;
import io.unbreakable.payments.payout.PayoutStatus;
import io.unbreakable.payments.time.Seoul;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Payouts for finance: by payout date and status with totals, hold / release / retry with a reason
 * (OPERATORs: the security rule), and the bank transfer files to download.
 */
@Controller
@RequestMapping("/console/payouts")
class ConsolePayoutsController {

    private final PayoutService payouts;

    ConsolePayoutsController(PayoutService payouts) {
        this.payouts = payouts;
    }

    /** {@code date}: the payout date, today in Seoul when absent; {@code status}: all when absent. */
    @GetMapping
    String list(PayoutListForm form, BindingResult binding, Model model) {
        LocalDate date = binding.hasErrors() || form.date() == null ? LocalDate.now(Seoul.ZONE) : form.date();
        PayoutStatus status = binding.hasErrors() ? null : form.status();
        PayoutFilter filter = new PayoutFilter(date, status, null);
        Area.CONSOLE.addTo(model);
        model.addAttribute("date", date);
        model.addAttribute("status", status);
        model.addAttribute("statuses", PayoutStatus.values());
        model.addAttribute("payouts", payouts.find(filter));
        model.addAttribute("totals", payouts.totals(filter));
        model.addAttribute("transferFiles", payouts.transferFiles());
        return "console/payouts";
    }

    @PostMapping("/{payoutId}/hold")
    String hold(@PathVariable long payoutId, @Valid ReasonForm form, BindingResult binding, RedirectAttributes redirect) {
        return change(payoutId, form, binding, redirect, () -> payouts.hold(payoutId, form.reason().strip()));
    }

    @PostMapping("/{payoutId}/release")
    String release(@PathVariable long payoutId, @Valid ReasonForm form, BindingResult binding, RedirectAttributes redirect) {
        return change(payoutId, form, binding, redirect, () -> payouts.release(payoutId, form.reason().strip()));
    }

    @PostMapping("/{payoutId}/retry")
    String retry(@PathVariable long payoutId, @Valid ReasonForm form, BindingResult binding, RedirectAttributes redirect) {
        return change(payoutId, form, binding, redirect, () -> payouts.retry(payoutId, form.reason().strip()));
    }

    /** The day's transfer file as the bank gets it (whole account numbers: downloading it is audited). */
    @GetMapping("/transfer-files/{fileName:transfer-[0-9-]+\\.csv}")
    ResponseEntity<byte[]> transferFile(@PathVariable String fileName) {
        byte[] content = payouts.transferFile(fileName).getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName).build().toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(content);
    }

    private String change(long payoutId, ReasonForm form, BindingResult binding, RedirectAttributes redirect, Runnable change) {
        if (binding.hasErrors()) {
            redirect.addFlashAttribute("payoutError", "reason");
        } else {
            try {
                change.run();
                redirect.addFlashAttribute("payoutSaved", payoutId);
            } catch (ApiException e) {
                redirect.addFlashAttribute("payoutError", e.getMessage());
            }
        }
        LocalDate date = payouts.get(payoutId, null).payoutDate();
        return "redirect:/console/payouts?date=" + date;
    }

    record PayoutListForm(@DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date, PayoutStatus status) {
    }

    record ReasonForm(@NotBlank @Size(max = 200) String reason) {
    }
}
