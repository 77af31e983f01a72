package io.unbreakable.payments.api.merchant;

import static io.unbreakable.payments.db.jooq.Tables.MERCHANT;

import io.unbreakable.payments.crypto.DataCipher;
import io.unbreakable.payments.crypto.V72__encrypt_payout_account_numbers;
import io.unbreakable.payments.payout.PayoutAccount;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

@Repository
class MerchantRepository {

    private final DSLContext db;
    private final DataCipher cipher;

    MerchantRepository(DSLContext db, DataCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    Merchant insert(String name, Merchant.BusinessType businessType, java.math.BigDecimal feeRate,
            PayoutAccount payoutAccount, String secretKeyHash, String secretKeyPrefix) {
        return db.insertInto(MERCHANT)
                .set(MERCHANT.NAME, name)
                .set(MERCHANT.BUSINESS_TYPE, businessType.name())
                .set(MERCHANT.FEE_RATE, feeRate)
                .set(MERCHANT.PAYOUT_BANK_CODE, payoutAccount == null ? null : payoutAccount.bankCode())
                .set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, payoutAccount == null ? null
                        : cipher.encrypt(V72__encrypt_payout_account_numbers.PURPOSE, payoutAccount.digits()))
                .set(MERCHANT.PAYOUT_ACCOUNT_HOLDER, payoutAccount == null ? null : payoutAccount.holderName())
                .set(MERCHANT.SECRET_KEY_HASH, secretKeyHash)
                .set(MERCHANT.SECRET_KEY_PREFIX, secretKeyPrefix)
                .returning()
                .fetchSingle(this::toMerchant);
    }

    Optional<Long> findIdBySecretKeyHash(String secretKeyHash) {
        return db.select(MERCHANT.ID).from(MERCHANT).where(MERCHANT.SECRET_KEY_HASH.eq(secretKeyHash)).fetchOptional(MERCHANT.ID);
    }

    Optional<Merchant> findById(long merchantId) {
        return db.selectFrom(MERCHANT).where(MERCHANT.ID.eq(merchantId)).fetchOptional(this::toMerchant);
    }

    /** The merchant's PG order; empty when it has none of its own (or no such merchant). */
    List<String> findPgProviders(long merchantId) {
        return db.select(MERCHANT.PG_PROVIDERS).from(MERCHANT).where(MERCHANT.ID.eq(merchantId))
                .fetchOptional(MERCHANT.PG_PROVIDERS)
                .map(Arrays::asList)
                .orElse(List.of());
    }

    /** Empty {@code providers} stores null: the system default. */
    Optional<Merchant> updatePgProviders(long merchantId, List<String> providers) {
        return db.update(MERCHANT)
                .set(MERCHANT.PG_PROVIDERS, providers.isEmpty() ? null : providers.toArray(String[]::new))
                .where(MERCHANT.ID.eq(merchantId))
                .returning()
                .fetchOptional(this::toMerchant);
    }

    /** A new payout account (the number encrypted, digits only): its holder is unchecked again until the payout job checks it. */
    Optional<Merchant> updatePayoutAccount(long merchantId, PayoutAccount account) {
        return db.update(MERCHANT)
                .set(MERCHANT.PAYOUT_BANK_CODE, account.bankCode())
                .set(MERCHANT.PAYOUT_ACCOUNT_NUMBER, cipher.encrypt(V72__encrypt_payout_account_numbers.PURPOSE, account.digits()))
                .set(MERCHANT.PAYOUT_ACCOUNT_HOLDER, account.holderName())
                .set(MERCHANT.PAYOUT_ACCOUNT_CHECK, "UNVERIFIED")
                .setNull(MERCHANT.PAYOUT_ACCOUNT_CHECKED_AT)
                .where(MERCHANT.ID.eq(merchantId))
                .returning()
                .fetchOptional(this::toMerchant);
    }

    boolean updatePortalPasswordHash(long merchantId, String portalPasswordHash) {
        return db.update(MERCHANT).set(MERCHANT.PORTAL_PASSWORD_HASH, portalPasswordHash)
                .where(MERCHANT.ID.eq(merchantId)).execute() == 1;
    }

    Optional<String> findPortalPasswordHash(long merchantId) {
        return db.select(MERCHANT.PORTAL_PASSWORD_HASH).from(MERCHANT)
                .where(MERCHANT.ID.eq(merchantId)).and(MERCHANT.PORTAL_PASSWORD_HASH.isNotNull())
                .fetchOptional(MERCHANT.PORTAL_PASSWORD_HASH);
    }

    private Merchant toMerchant(Record record) {
        String[] pgProviders = record.get(MERCHANT.PG_PROVIDERS);
        String accountNumber = record.get(MERCHANT.PAYOUT_ACCOUNT_NUMBER);
        PayoutAccount payoutAccount = accountNumber == null ? null : new PayoutAccount(record.get(MERCHANT.PAYOUT_BANK_CODE),
                cipher.decrypt(V72__encrypt_payout_account_numbers.PURPOSE, accountNumber), record.get(MERCHANT.PAYOUT_ACCOUNT_HOLDER))
                .masked();
        return new Merchant(record.get(MERCHANT.ID), record.get(MERCHANT.NAME),
                Merchant.BusinessType.valueOf(record.get(MERCHANT.BUSINESS_TYPE)), record.get(MERCHANT.FEE_RATE),
                record.get(MERCHANT.SECRET_KEY_PREFIX), record.get(MERCHANT.CREATED_AT),
                pgProviders == null ? List.of() : Arrays.asList(pgProviders), payoutAccount, record.get(MERCHANT.PAYOUT_ACCOUNT_CHECK));
    }
}
