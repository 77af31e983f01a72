package io.unbreakable.payments.api.merchant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.unbreakable.payments.payout.PayoutAccount;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import io.unbreakable.payments.time.Seoul;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/admin/merchants")
@Tag(name = "Admin: merchants", description = "Finance: Authorization: Bearer <PAYMENT_ADMIN_TOKEN>")
class MerchantAdminController {

    private final MerchantService merchants;

    MerchantAdminController(MerchantService merchants) {
        this.merchants = merchants;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createMerchant", summary = "Create a merchant and its wallet; the secret key is shown only in this response")
    CreatedMerchantResponse create(@Valid @RequestBody CreateMerchantRequest request) {
        MerchantService.CreatedMerchant created = merchants.create(request.name(), request.businessType(),
                request.feeRate(), request.payoutAccount());
        return new CreatedMerchantResponse(MerchantResponse.of(created.merchant()), created.secretKey());
    }

    @GetMapping("/{merchantId}")
    @Operation(operationId = "getMerchant", summary = "A merchant (not its secret key)")
    MerchantResponse get(@PathVariable long merchantId) {
        return MerchantResponse.of(merchants.get(merchantId));
    }

    @PutMapping("/{merchantId}/pg-providers")
    @Operation(operationId = "setMerchantPgProviders", summary = "Set the PGs this merchant's new payments try, in order ([] = the system default); existing payments keep theirs")
    MerchantResponse changePgProviders(@PathVariable long merchantId, @Valid @RequestBody PgProvidersRequest request) {
        return MerchantResponse.of(merchants.changePgProviders(merchantId, request.pgProviders()));
    }

    @PutMapping("/{merchantId}/payout-account")
    @Operation(operationId = "setMerchantPayoutAccount", summary = "Set where the merchant's payouts go (bank code, account number as digits, "
            + "holder); the holder is checked with the payout provider before the first payout to it. Answered masked")
    MerchantResponse changePayoutAccount(@PathVariable long merchantId, @Valid @RequestBody PayoutAccountRequest request) {
        return MerchantResponse.of(merchants.changePayoutAccount(merchantId,
                new PayoutAccount(request.bankCode(), request.accountNumber(), request.holderName())));
    }

    /** Stricter than at creation: the number is digits only, the holder a plain name (it goes into bank files). */
    record PayoutAccountRequest(
            @NotBlank @Pattern(regexp = "\\d{3}", message = "must be a 3-digit bank code") String bankCode,
            @NotBlank @Pattern(regexp = "\\d{6,20}", message = "must be 6-20 digits, no dashes") String accountNumber,
            @NotBlank @Size(max = 50) @Pattern(regexp = "[^,\"]+", message = "must not contain commas or quotes") String holderName) {
    }

    record PgProvidersRequest(@NotNull @Size(max = 10) List<@NotBlank @Size(max = 50) String> pgProviders) {
    }

    record CreateMerchantRequest(
            @NotBlank @Size(max = 100) String name,
            @NotNull Merchant.BusinessType businessType,
            @NotNull @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) @Digits(integer = 1, fraction = 6) BigDecimal feeRate,
            @Valid PayoutAccount payoutAccount) {
    }

    /**
     * feeRate leaves as a decimal string ("0.033"): a rate never passes through a binary float.
     * pgProviders empty: the system default order. payoutAccount: its number masked ("****6789");
     * payoutAccountCheck: UNVERIFIED, VERIFIED or MISMATCH (the holder check before the first payout).
     */
    record MerchantResponse(long merchantId, String name, Merchant.BusinessType businessType, String feeRate,
            String secretKeyPrefix, OffsetDateTime createdAt, List<String> pgProviders, PayoutAccount payoutAccount,
            String payoutAccountCheck) {

        static MerchantResponse of(Merchant merchant) {
            return new MerchantResponse(merchant.merchantId(), merchant.name(), merchant.businessType(),
                    merchant.feeRate().stripTrailingZeros().toPlainString(), merchant.secretKeyPrefix(), Seoul.time(merchant.createdAt()),
                    merchant.pgProviders(), merchant.payoutAccount(), merchant.payoutAccountCheck());
        }
    }

    record CreatedMerchantResponse(long merchantId, String name, Merchant.BusinessType businessType, String feeRate,
            String secretKeyPrefix, OffsetDateTime createdAt, PayoutAccount payoutAccount, String secretKey) {

        CreatedMerchantResponse(MerchantResponse merchant, String secretKey) {
            this(merchant.merchantId(), merchant.name(), merchant.businessType(), merchant.feeRate(),
                    merchant.secretKeyPrefix(), merchant.createdAt(), merchant.payoutAccount(), secretKey);
        }
    }
}
