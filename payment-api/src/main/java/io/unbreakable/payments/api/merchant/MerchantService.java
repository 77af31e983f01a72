package io.unbreakable.payments.api.merchant;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.ledger.LedgerService;
import java.math.BigDecimal;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class MerchantService {

    private final MerchantRepository merchants;
    private final LedgerService ledger;

    MerchantService(MerchantRepository merchants, LedgerService ledger) {
        this.merchants = merchants;
        this.ledger = ledger;
    }

    /** A new merchant with its wallet; the secret key is returned once and kept only as a hash. */
    @Transactional
    public CreatedMerchant create(String name, Merchant.BusinessType businessType, BigDecimal feeRate, PayoutAccount payoutAccount) {
        String secretKey = SecretKeys.newSecretKey();
        Merchant merchant = merchants.insert(name, businessType, feeRate, payoutAccount,
                SecretKeys.hash(secretKey), SecretKeys.displayPrefix(secretKey));
        ledger.openSellerAccount(merchant.merchantId());
        return new CreatedMerchant(merchant, secretKey);
    }

    public Optional<AuthenticatedMerchant> authenticate(String secretKey) {
        return merchants.findIdBySecretKeyHash(SecretKeys.hash(secretKey)).map(AuthenticatedMerchant::new);
    }

    public Merchant get(long merchantId) {
        return merchants.findById(merchantId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no merchant " + merchantId));
    }

    public record CreatedMerchant(Merchant merchant, String secretKey) {
    }
}
