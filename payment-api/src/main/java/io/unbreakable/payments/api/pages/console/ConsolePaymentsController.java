package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.api.pages.PaymentFilter;
import io.unbreakable.payments.api.pages.PaymentPages;
import io.unbreakable.payments.payment.Payment;
import io.unbreakable.payments.api.payment.PaymentService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Finance's payment list and payment page, with a cancel that goes through the API's own PaymentService. */
@Controller
@RequestMapping("/console/payments")
class ConsolePaymentsController {

    private final PaymentPages pages;
    private final PaymentService payments;

    ConsolePaymentsController(PaymentPages pages, PaymentService payments) {
        this.pages = pages;
        this.payments = payments;
    }

    @GetMapping
    String list(@Valid PaymentFilter paymentFilter, BindingResult binding,
            @RequestHeader(value = "HX-Request", required = false) String htmx, Model model) {
        return pages.list(Area.CONSOLE, paymentFilter, binding, htmx != null, model);
    }

    @GetMapping("/{paymentKey}")
    String detail(@PathVariable String paymentKey, Model model) {
        return show(payments.get(paymentKey), new CancelForm(null, null), model);
    }

    /**
     * A partial or full cancel by finance (e.g. a customer complaint the merchant cannot handle): the
     * same PaymentService.cancel the API uses, so the balance reservation, PG idempotency key and
     * ledger posting are the one path for money. A refusal shows next to the field; nothing is written.
     */
    @PostMapping("/{paymentKey}/cancel")
    String cancel(@PathVariable String paymentKey, @Valid @ModelAttribute("cancelForm") CancelForm form,
            BindingResult binding, Model model, RedirectAttributes redirect) {
        Payment payment = payments.get(paymentKey);
        if (!binding.hasErrors()) {
            try {
                PaymentService.CancelResult result = payments.cancel(payment.merchantId(), paymentKey,
                        new PaymentService.CancelCommand(form.cancelReason(), form.cancelAmount(), List.of()));
                redirect.addFlashAttribute("canceledCancelId", result.cancelId());
                return "redirect:/console/payments/{paymentKey}";
            } catch (ApiException e) {
                binding.rejectValue("cancelAmount", "cancel." + e.code(), e.getMessage());
                payment = payments.get(paymentKey);
            }
        }
        model.addAttribute("cancelFailed", true);
        return show(payment, form, model);
    }

    private String show(Payment payment, CancelForm form, Model model) {
        Area.CONSOLE.addTo(model);
        model.addAttribute("detail", pages.detail(payment));
        if (!model.containsAttribute("cancelForm")) {
            model.addAttribute("cancelForm", form);
        }
        return "pages/payment";
    }

    /** Blank amount = cancel what is left. */
    record CancelForm(@Positive Long cancelAmount, @NotBlank @Size(max = 200) String cancelReason) {
    }
}
