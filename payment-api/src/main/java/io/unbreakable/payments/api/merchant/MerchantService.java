package io.unbreakable.payments.api.merchant;

import io.unbreakable.payments.api.common.ApiException;
import io.unbreakable.payments.api.common.ErrorCode;
import io.unbreakable.payments.audit.AuditTrail;
import io.unbreakable.payments.ledger.LedgerService;
import io.unbreakable.payments.payout.KoreanBanks;
import io.unbreakable.payments.payout.PayoutAccount;
import io.unbreakable.payments.pg.PgProvider;
import io.unbreakable.payments.pg.PgRouter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class MerchantService {

    private static final int MAX_REMEMBERED_KEYS = 100_000;
    /** How long a PG order changed through another instance may go unseen here; a change made here applies at once. */
    private static final long PG_PROVIDERS_FRESH_NANOS = Duration.ofSeconds(5).toNanos();

    private final MerchantRepository merchants;
    private final LedgerService ledger;
    private final PgRouter router;
    private final PasswordEncoder passwordEncoder;
    private final AuditTrail audit;
    private final Map<String, AuthenticatedMerchant> authenticated = new ConcurrentHashMap<>();
    private final Map<Long, RememberedProviders> pgProviders = new ConcurrentHashMap<>();

    MerchantService(MerchantRepository merchants, LedgerService ledger, PgRouter router, PasswordEncoder passwordEncoder,
            AuditTrail audit) {
        this.merchants = merchants;
        this.ledger = ledger;
        this.router = router;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
    }

    /** A new merchant with its wallet; the secret key is returned once and kept only as a hash. */
    @Transactional
    public CreatedMerchant create(String name, Merchant.BusinessType businessType, BigDecimal feeRate, PayoutAccount payoutAccount) {
        if (payoutAccount != null) {
            requireKnownBank(payoutAccount.bankCode());
        }
        String secretKey = SecretKeys.newSecretKey();
        Merchant merchant = merchants.insert(name, businessType, feeRate, payoutAccount,
                SecretKeys.hash(secretKey), SecretKeys.displayPrefix(secretKey));
        ledger.openSellerAccount(merchant.merchantId());
        audit.record("MERCHANT_CREATED", "MERCHANT", merchant.merchantId(), null, audited(merchant));
        return new CreatedMerchant(merchant, secretKey);
    }

    /**
     * The merchant a secret key belongs to. Keys are never reassigned, so a found key is remembered
     * (bounded) and the hot path of every request skips a query; unknown keys are always looked up.
     */
    public Optional<AuthenticatedMerchant> authenticate(String secretKey) {
        String hash = SecretKeys.hash(secretKey);
        AuthenticatedMerchant known = authenticated.get(hash);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<AuthenticatedMerchant> found = merchants.findIdBySecretKeyHash(hash).map(AuthenticatedMerchant::new);
        if (found.isPresent() && authenticated.size() < MAX_REMEMBERED_KEYS) {
            authenticated.put(hash, found.get());
        }
        return found;
    }

    public Merchant get(long merchantId) {
        return merchants.findById(merchantId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no merchant " + merchantId));
    }

    /**
     * The PGs this merchant's new payments try, in order; empty = the system default. Every confirm
     * asks, so the answer is remembered for a few seconds (a changed order only routes new payments;
     * each payment keeps the provider its claim recorded).
     */
    public List<String> pgProviders(long merchantId) {
        long now = System.nanoTime();
        RememberedProviders remembered = pgProviders.get(merchantId);
        if (remembered != null && now - remembered.readAtNanos() < PG_PROVIDERS_FRESH_NANOS) {
            return remembered.providers();
        }
        List<String> providers = merchants.findPgProviders(merchantId);
        if (pgProviders.size() < MAX_REMEMBERED_KEYS) {
            pgProviders.put(merchantId, new RememberedProviders(List.copyOf(providers), now));
        }
        return providers;
    }

    /** Sets the merchant's PG order (empty: back to the system default); every name must be a configured provider. */
    @Transactional
    public Merchant changePgProviders(long merchantId, List<String> providers) {
        List<String> unknown = providers.stream().filter(name -> !router.isConfigured(name)).toList();
        if (!unknown.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "unknown PG providers " + unknown + "; configured: "
                    + router.providers().stream().map(PgProvider::provider).toList());
        }
        if (providers.stream().distinct().count() < providers.size()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "pgProviders lists a provider twice: " + providers);
        }
        List<String> before = merchants.findPgProviders(merchantId);
        Merchant changed = merchants.updatePgProviders(merchantId, providers)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no merchant " + merchantId));
        audit.record("MERCHANT_PG_PROVIDERS_CHANGED", "MERCHANT", merchantId, Map.of("pgProviders", before),
                Map.of("pgProviders", changed.pgProviders()));
        pgProviders.remove(merchantId);
        return changed;
    }

    /**
     * Sets where the merchant's payouts go. The holder is checked with the payout provider before the first
     * payout to the new account (the payout job does it); FAILED payouts wait for finance's retry.
     */
    @Transactional
    public Merchant changePayoutAccount(long merchantId, PayoutAccount account) {
        requireKnownBank(account.bankCode());
        Merchant before = get(merchantId);
        Merchant changed = merchants.updatePayoutAccount(merchantId, account)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no merchant " + merchantId));
        audit.record("MERCHANT_PAYOUT_ACCOUNT_CHANGED", "MERCHANT", merchantId, maskedAccount(before.payoutAccount()),
                maskedAccount(changed.payoutAccount()));
        return changed;
    }

    private static void requireKnownBank(String bankCode) {
        if (!KoreanBanks.isKnown(bankCode)) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "payoutAccount.bankCode " + bankCode
                    + " is not a known bank code (e.g. 088 신한은행, 004 KB국민은행, 090 카카오뱅크)");
        }
    }

    private record RememberedProviders(List<String> providers, long readAtNanos) {
    }

    /**
     * Sets the merchant's portal password, kept only as a slow (bcrypt) hash: unlike the random API
     * secret, a password a person chose must be expensive to guess from a stolen hash.
     */
    @Transactional
    public void setPortalPassword(long merchantId, String password) {
        boolean wasSet = merchants.findPortalPasswordHash(merchantId).isPresent();
        if (!merchants.updatePortalPasswordHash(merchantId, passwordEncoder.encode(password))) {
            throw new ApiException(ErrorCode.NOT_FOUND, "no merchant " + merchantId);
        }
        // the fact, never the hash
        audit.record("MERCHANT_PORTAL_PASSWORD_SET", "MERCHANT", merchantId, Map.of("portalPasswordSet", wasSet),
                Map.of("portalPasswordSet", true));
    }

    /** The portal password hash, empty while none was set (the merchant cannot sign in yet). */
    public Optional<String> portalPasswordHash(long merchantId) {
        return merchants.findPortalPasswordHash(merchantId);
    }

    /** A merchant as its audit rows show it: the payout account masked, the secret key only by its prefix. */
    private static Map<String, Object> audited(Merchant merchant) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("name", merchant.name());
        state.put("businessType", merchant.businessType().name());
        state.put("feeRate", merchant.feeRate().stripTrailingZeros().toPlainString());
        state.put("secretKeyPrefix", merchant.secretKeyPrefix());
        state.put("payoutAccount", maskedAccount(merchant.payoutAccount()));
        return state;
    }

    /** An account as audit rows show it (the merchant's account is always read masked). */
    private static Map<String, Object> maskedAccount(PayoutAccount account) {
        return account == null ? null : Map.of("bankCode", account.bankCode(), "accountNumber", account.masked().accountNumber(),
                "holderName", account.holderName());
    }

    public record CreatedMerchant(Merchant merchant, String secretKey) {
    }
}
