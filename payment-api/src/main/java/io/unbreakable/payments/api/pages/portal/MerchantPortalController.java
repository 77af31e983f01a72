package io.unbreakable.payments.api.pages.portal;

import io.unbreakable.payments.api.merchant.MerchantService;
import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.api.pages.MerchantPortalUsers;
import io.unbreakable.payments.api.pages.PaymentFilter;
import io.unbreakable.payments.api.pages.PaymentPages;
import io.unbreakable.payments.api.pages.PortalPasswordForm;
import io.unbreakable.payments.api.pages.SettlementPages;
import io.unbreakable.payments.api.pages.WalletPages;
import io.unbreakable.payments.api.pages.WebhookPages;
import io.unbreakable.payments.api.payment.PaymentService;
import io.unbreakable.payments.api.payout.PayoutService;
import io.unbreakable.payments.api.settlement.PayoutReportResponses;
import io.unbreakable.payments.api.settlement.SettlementService;
import io.unbreakable.payments.api.webhook.WebhookService;
import jakarta.validation.Valid;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The merchant portal. Every read is scoped by the signed-in merchant (never by an id from the URL
 * alone): another merchant's payment, settlement or payout report is a 404, as if it did not exist.
 */
@Controller
@RequestMapping("/merchant")
class MerchantPortalController {

    private final PaymentPages paymentPages;
    private final PaymentService payments;
    private final SettlementService settlements;
    private final SettlementPages settlementPages;
    private final WalletPages wallets;
    private final MerchantService merchants;
    private final PayoutService payouts;
    private final WebhookPages webhookPages;
    private final WebhookService webhooks;

    MerchantPortalController(PaymentPages paymentPages, PaymentService payments, SettlementService settlements,
            SettlementPages settlementPages, WalletPages wallets, MerchantService merchants, PayoutService payouts,
            WebhookPages webhookPages, WebhookService webhooks) {
        this.paymentPages = paymentPages;
        this.payments = payments;
        this.settlements = settlements;
        this.settlementPages = settlementPages;
        this.wallets = wallets;
        this.merchants = merchants;
        this.payouts = payouts;
        this.webhookPages = webhookPages;
        this.webhooks = webhooks;
    }

    /** Home: the wallet and what moved it, the latest settlements with payout dates and reports, the latest payouts with status and reason. */
    @GetMapping
    String home(Authentication signedIn, @RequestParam(required = false) Long before, Model model) {
        long merchantId = MerchantPortalUsers.merchantId(signedIn);
        Area.PORTAL.addTo(model);
        model.addAttribute("merchant", merchants.get(merchantId));
        model.addAttribute("wallet", wallets.wallet(merchantId, before));
        model.addAttribute("settlements", settlements.latest(merchantId, 30));
        model.addAttribute("payouts", payouts.latest(merchantId, 30));
        if (!model.containsAttribute("passwordForm")) {
            model.addAttribute("passwordForm", new PortalPasswordForm(null, null));
        }
        return "portal/home";
    }

    @GetMapping("/payments")
    String payments(Authentication signedIn, @Valid PaymentFilter paymentFilter, BindingResult binding,
            @RequestHeader(value = "HX-Request", required = false) String htmx, Model model) {
        return paymentPages.list(Area.PORTAL, paymentFilter.forMerchant(MerchantPortalUsers.merchantId(signedIn)),
                binding, htmx != null, model);
    }

    @GetMapping("/payments/{paymentKey}")
    String payment(Authentication signedIn, @PathVariable String paymentKey, Model model) {
        Area.PORTAL.addTo(model);
        model.addAttribute("detail", paymentPages.detail(payments.get(MerchantPortalUsers.merchantId(signedIn), paymentKey)));
        return "pages/payment";
    }

    @GetMapping("/settlements/{settlementId}")
    String settlement(Authentication signedIn, @PathVariable long settlementId, Model model) {
        Area.PORTAL.addTo(model);
        model.addAttribute("detail", settlementPages.detail(settlements.get(MerchantPortalUsers.merchantId(signedIn), settlementId)));
        return "pages/settlement";
    }

    @GetMapping("/payouts/{payoutId}/report.csv")
    ResponseEntity<Resource> csv(Authentication signedIn, @PathVariable long payoutId) {
        return PayoutReportResponses.csv(settlements.report(MerchantPortalUsers.merchantId(signedIn), payoutId, true));
    }

    @GetMapping("/payouts/{payoutId}/report.html")
    ResponseEntity<Resource> html(Authentication signedIn, @PathVariable long payoutId) {
        return PayoutReportResponses.html(settlements.report(MerchantPortalUsers.merchantId(signedIn), payoutId, false));
    }

    @GetMapping("/webhooks")
    String webhooks(Authentication signedIn, Model model) {
        return webhookPages.list(Area.PORTAL, MerchantPortalUsers.merchantId(signedIn), model);
    }

    @GetMapping("/webhooks/{endpointId}")
    String webhook(Authentication signedIn, @PathVariable long endpointId, @RequestParam(required = false) String status,
            @RequestParam(required = false) Long before, Model model) {
        return webhookPages.detail(Area.PORTAL, MerchantPortalUsers.merchantId(signedIn), endpointId, status, before, model);
    }

    /** Sends one of the merchant's own deliveries again (audited as the merchant). */
    @PostMapping("/webhooks/deliveries/{deliveryId}/redeliver")
    String redeliver(Authentication signedIn, @PathVariable long deliveryId) {
        return "redirect:/merchant/webhooks/" + webhooks.redeliver(MerchantPortalUsers.merchantId(signedIn), deliveryId);
    }

    /** The merchant changes its own portal password (it is signed in, so it already proved the current one). */
    @PostMapping("/password")
    String changePassword(Authentication signedIn, @Valid @ModelAttribute("passwordForm") PortalPasswordForm form,
            BindingResult binding, Model model, RedirectAttributes redirect) {
        form.validate(binding);
        if (binding.hasErrors()) {
            return home(signedIn, null, model);
        }
        merchants.setPortalPassword(MerchantPortalUsers.merchantId(signedIn), form.password());
        redirect.addFlashAttribute("passwordSet", true);
        return "redirect:/merchant";
    }
}
