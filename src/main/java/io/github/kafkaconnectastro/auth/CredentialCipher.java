package io.github.kafkaconnectastro.auth;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Encrypts what the connector keeps of its OAuth2 tokens with AES-256-GCM. The key is derived from the client
 * secret with PBKDF2-HMAC-SHA256 and a random salt kept beside the ciphertext; the key itself is never stored.
 * The client id is bound as associated data, so a blob written for one OAuth2 client cannot be read as another's.
 * Format: {@code v1.<salt>.<iv>.<ciphertext+tag>}, each part base64url.
 */
public final class CredentialCipher {

    private static final String VERSION = "v1";
    private static final int SALT_BYTES = 16;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BITS = 256;
    /**
     * A client secret is a random string StreamElements issues, not a password a person chose, so the derivation
     * need not be slow to resist guessing; the iterations only make a weak secret costlier to try. One derivation per
     * refresh and per read of a new blob.
     */
    private static final int ITERATIONS = 100_000;

    private final char[] secret;
    private final byte[] associatedData;
    private final SecureRandom random = new SecureRandom();

    public CredentialCipher(String clientSecret, String clientId) {
        this.secret = clientSecret.toCharArray();
        this.associatedData = ("astro-oauth2|" + clientId).getBytes(StandardCharsets.UTF_8);
    }

    public String encrypt(String plaintext) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(salt);
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, salt, iv);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return VERSION + "." + b64.encodeToString(salt) + "." + b64.encodeToString(iv) + "."
                    + b64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getClass().getSimpleName());
        }
    }

    /** The plaintext, or empty when the blob is not ours, was written with another secret or client, or was altered. */
    public Optional<String> decrypt(String blob) {
        String[] parts = blob == null ? new String[0] : blob.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] salt = b64.decode(parts[1]);
            byte[] iv = b64.decode(parts[2]);
            if (salt.length != SALT_BYTES || iv.length != IV_BYTES) {
                return Optional.empty();
            }
            byte[] plain = cipher(Cipher.DECRYPT_MODE, salt, iv).doFinal(b64.decode(parts[3]));
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // A wrong key shows as a bad tag: the blob is then as good as absent.
            return Optional.empty();
        }
    }

    private Cipher cipher(int mode, byte[] salt, byte[] iv) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(secret, salt, ITERATIONS, KEY_BITS);
        byte[] key;
        try {
            key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(associatedData);
        return cipher;
    }
}
