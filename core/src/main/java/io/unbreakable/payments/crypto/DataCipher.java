package io.unbreakable.payments.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets that must be read again (payout account numbers, webhook signing secrets) are stored
 * encrypted: AES-256-GCM with a fresh 96-bit nonce per value, the purpose (e.g. "payout_account_number")
 * as associated data so a value copied into another kind of column does not decrypt, and the key's id in
 * the stored text, {@code v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>}. Keys rotate: values are
 * encrypted under the current (first) key and decrypted with whichever known key their id names.
 * What only needs checking (API secret keys, passwords) is hashed instead, never stored here.
 */
public final class DataCipher {

    private static final String FORMAT = "v1";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys;

    private DataCipher(String currentKeyId, Map<String, SecretKeySpec> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = keys;
    }

    /**
     * From {@code PAYMENTS_DATA_KEY}: {@code <id>:<base64 of 32 bytes>}, or several separated by commas,
     * the current one first (e.g. {@code k2:...,k1:...} while values under k1 remain). The key material
     * never appears in an error message.
     */
    public static DataCipher of(String keyList) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        for (String entry : keyList.split(",")) {
            String trimmed = entry.strip();
            int colon = trimmed.indexOf(':');
            String id = colon < 0 ? "" : trimmed.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("PAYMENTS_DATA_KEY: each key is <id>:<base64 of 32 bytes> with an id of "
                        + "1-16 letters, digits, '-' or '_'; an entry has no valid id");
            }
            byte[] material;
            try {
                material = Base64.getMimeDecoder().decode(trimmed.substring(colon + 1).replace('-', '+').replace('_', '/'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PAYMENTS_DATA_KEY: key " + id + " is not base64");
            }
            if (material.length != KEY_BYTES) {
                throw new IllegalArgumentException("PAYMENTS_DATA_KEY: key " + id + " has " + material.length
                        + " bytes; AES-256 needs 32 (openssl rand -base64 32)");
            }
            if (keys.put(id, new SecretKeySpec(material, "AES")) != null) {
                throw new IllegalArgumentException("PAYMENTS_DATA_KEY: key id " + id + " is listed twice");
            }
        }
        return new DataCipher(keys.keySet().iterator().next(), Map.copyOf(keys));
    }

    /** A new random key in the {@link #of} form, for the embedded default and for tests. */
    public static String newKey(String keyId) {
        byte[] material = new byte[KEY_BYTES];
        RANDOM.nextBytes(material);
        return keyId + ":" + Base64.getEncoder().encodeToString(material);
    }

    public String encrypt(String purpose, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), nonce, purpose, plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        return FORMAT + ":" + currentKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(stored);
    }

    /**
     * @throws IllegalStateException when the value names an unknown key, or does not decrypt under it
     *     for this purpose (changed, truncated, or from another kind of column)
     */
    public String decrypt(String purpose, String stored) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !FORMAT.equals(parts[0])) {
            throw new IllegalStateException("not a value this cipher wrote (" + purpose + ")");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException(purpose + " is encrypted under key " + parts[1]
                    + ", which PAYMENTS_DATA_KEY does not list (keys: " + keys.keySet() + ")");
        }
        byte[] bytes = Base64.getUrlDecoder().decode(parts[2]);
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException(purpose + " is truncated");
        }
        byte[] nonce = Arrays.copyOf(bytes, NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(bytes, NONCE_BYTES, bytes.length);
        return new String(run(Cipher.DECRYPT_MODE, key, nonce, purpose, sealed), StandardCharsets.UTF_8);
    }

    /** Whether a stored value is under the current key (else a rotation should rewrite it). */
    public boolean isUnderCurrentKey(String stored) {
        return stored.startsWith(FORMAT + ":" + currentKeyId + ":");
    }

    /** Whether a column value is something this cipher wrote (for migrating plaintext columns). */
    public static boolean looksEncrypted(String stored) {
        String[] parts = stored.split(":", 3);
        return parts.length == 3 && FORMAT.equals(parts[0]) && KEY_ID.matcher(parts[1]).matches();
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    private static byte[] run(int mode, SecretKeySpec key, byte[] nonce, String purpose, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(purpose + " does not decrypt: changed, or not written for this purpose");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }
}
