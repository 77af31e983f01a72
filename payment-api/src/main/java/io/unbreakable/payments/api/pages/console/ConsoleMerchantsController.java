package io.unbreakable.payments.api.pages.console;

import io.unbreakable.payments.api.merchant.Merchant;
import io.unbreakable.payments.api.merchant.MerchantService;
import io.unbreakable.payments.api.pages.Area;
import io.unbreakable.payments.api.pages.PortalPasswordForm;
import io.unbreakable.payments.api.pages.WalletPages;
import io.unbreakable.payments.api.settlement.SettlementService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Merchants for finance: the list, a new merchant (its secret key shown once), a merchant's wallet and portal password. */
@Controller
@RequestMapping("/console/merchants")
class ConsoleMerchantsController {

    static final int MERCHANTS_SHOWN = 100;

    private final ConsoleRepository console;
    private final MerchantService merchants;
    private final WalletPages wallets;
    private final SettlementService settlements;

    ConsoleMerchantsController(ConsoleRepository console, MerchantService merchants, WalletPages wallets,
            SettlementService settlements) {
        this.console = console;
        this.merchants = merchants;
        this.wallets = wallets;
        this.settlements = settlements;
    }

    @GetMapping
    String list(@RequestParam(required = false) Long after, Model model) {
        if (!model.containsAttribute("newMerchant")) {
            model.addAttribute("newMerchant", new NewMerchantForm(null, null, null));
        }
        Area.CONSOLE.addTo(model);
        var rows = console.merchants(after, MERCHANTS_SHOWN);
        model.addAttribute("merchants", rows);
        model.addAttribute("nextAfter", rows.size() < MERCHANTS_SHOWN ? null : rows.get(rows.size() - 1).merchantId());
        return "console/merchants";
    }

    @PostMapping
    String create(@Valid @ModelAttribute("newMerchant") NewMerchantForm form, BindingResult binding, Model model,
            RedirectAttributes redirect) {
        if (binding.hasErrors()) {
            return list(null, model);
        }
        MerchantService.CreatedMerchant created = merchants.create(form.name().strip(), form.businessType(),
                form.feeRatePercent().movePointLeft(2), null);
        // the secret key lives only in this one redirect (flash attribute): it is stored hashed
        redirect.addFlashAttribute("secretKey", created.secretKey());
        return "redirect:/console/merchants/" + created.merchant().merchantId();
    }

    @GetMapping("/{merchantId}")
    String detail(@PathVariable long merchantId, @RequestParam(required = false) Long before, Model model) {
        Merchant merchant = merchants.get(merchantId);
        Area.CONSOLE.addTo(model);
        model.addAttribute("merchant", merchant);
        model.addAttribute("wallet", wallets.wallet(merchantId, before));
        model.addAttribute("settlements", settlements.latest(merchantId, 30));
        model.addAttribute("portalPasswordSet", merchants.portalPasswordHash(merchantId).isPresent());
        if (!model.containsAttribute("passwordForm")) {
            model.addAttribute("passwordForm", new PortalPasswordForm(null, null));
        }
        return "console/merchant";
    }

    /** Finance sets (or resets) the merchant's portal password, e.g. when onboarding it. */
    @PostMapping("/{merchantId}/portal-password")
    String setPortalPassword(@PathVariable long merchantId, @Valid @ModelAttribute("passwordForm") PortalPasswordForm form,
            BindingResult binding, Model model, RedirectAttributes redirect) {
        form.validate(binding);
        if (binding.hasErrors()) {
            return detail(merchantId, null, model);
        }
        merchants.setPortalPassword(merchantId, form.password());
        redirect.addFlashAttribute("passwordSet", true);
        return "redirect:/console/merchants/" + merchantId;
    }

    /** The fee rate as finance writes it, in percent (3.3 = 0.033), up to the schema's 6 decimals of the rate. */
    record NewMerchantForm(
            @NotBlank @Size(max = 100) String name,
            @NotNull Merchant.BusinessType businessType,
            @NotNull @DecimalMin("0") @DecimalMax(value = "100", inclusive = false) @Digits(integer = 2, fraction = 4)
            BigDecimal feeRatePercent) {
    }
}
