package io.unbreakable.payments.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class DataCipherTest {

    private static final String K1 = DataCipher.newKey("k1");
    private static final String K2 = DataCipher.newKey("k2");

    @Test
    void encryptsUnderTheCurrentKeyWithAFreshNonceAndDecryptsBack() {
        DataCipher cipher = DataCipher.of(K1);
        String first = cipher.encrypt("payout_account_number", "110-123-456789");
        String second = cipher.encrypt("payout_account_number", "110-123-456789");

        assertThat(first).startsWith("v1:k1:").doesNotContain("456789").isNotEqualTo(second);
        assertThat(DataCipher.looksEncrypted(first)).isTrue();
        assertThat(DataCipher.looksEncrypted("110-123-456789")).isFalse();
        assertThat(cipher.decrypt("payout_account_number", first)).isEqualTo("110-123-456789");
        assertThat(cipher.decrypt("payout_account_number", second)).isEqualTo("110-123-456789");
    }

    @Test
    void aRotatedKeyListReadsOldValuesAndWritesNewOnesUnderTheNewKey() {
        String underK1 = DataCipher.of(K1).encrypt("webhook_signing_secret", "whsec_abc");
        DataCipher rotated = DataCipher.of(K2 + "," + K1);

        assertThat(rotated.decrypt("webhook_signing_secret", underK1)).isEqualTo("whsec_abc");
        assertThat(rotated.isUnderCurrentKey(underK1)).isFalse();
        String rewritten = rotated.encrypt("webhook_signing_secret", rotated.decrypt("webhook_signing_secret", underK1));
        assertThat(rewritten).startsWith("v1:k2:");
        assertThat(rotated.isUnderCurrentKey(rewritten)).isTrue();
        assertThatThrownBy(() -> DataCipher.of(K1).decrypt("webhook_signing_secret", rewritten))
                .hasMessageContaining("key k2").hasMessageContaining("PAYMENTS_DATA_KEY does not list");
    }

    @Test
    void aChangedValueOrAnotherPurposeDoesNotDecrypt() {
        DataCipher cipher = DataCipher.of(K1);
        String stored = cipher.encrypt("payout_account_number", "110-123-456789");
        byte[] bytes = Base64.getUrlDecoder().decode(stored.substring("v1:k1:".length()));
        bytes[bytes.length - 1] ^= 1;
        String tampered = "v1:k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThatThrownBy(() -> cipher.decrypt("payout_account_number", tampered)).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> cipher.decrypt("webhook_signing_secret", stored)).hasMessageContaining("does not decrypt");
    }

    @Test
    void aMalformedKeyListIsRefusedWithoutEchoingTheKey() {
        String shortKey = "k1:" + Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> DataCipher.of(shortKey)).hasMessageContaining("16 bytes").hasMessageContaining("32")
                .hasMessageNotContaining(shortKey.substring(3));
        assertThatThrownBy(() -> DataCipher.of("no-id-here")).hasMessageContaining("<id>:<base64");
        assertThatThrownBy(() -> DataCipher.of(K1 + "," + K1)).hasMessageContaining("listed twice");
    }
}
