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
 *
 * <p>While a client secret is being rotated, the previous one ({@code astro.oauth2.client.secret.previous}) still
 * opens what was written with it ({@link #open}); encryption always takes the current one, so the next save of a
 * blob read that way leaves it readable without the previous secret.
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
    /** The client secret in use before the current one, for reading only; null when there is none. */
    private final char[] previous;
    private final byte[] associatedData;
    private final SecureRandom random = new SecureRandom();

    /**
     * What a blob opened to.
     *
     * @param withPrevious true when only the previous client secret opened it: it is to be saved again
     */
    public record Opened(String plaintext, boolean withPrevious) {
    }

    public CredentialCipher(String clientSecret, String clientId) {
        this(clientSecret, null, clientId);
    }

    /** @param previousSecret the client secret in use before {@code clientSecret}; null or empty when none */
    public CredentialCipher(String clientSecret, String previousSecret, String clientId) {
        this.secret = clientSecret.toCharArray();
        this.previous = previousSecret == null || previousSecret.isEmpty() || previousSecret.equals(clientSecret)
                ? null : previousSecret.toCharArray();
        this.associatedData = ("astro-oauth2|" + clientId).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a previous client secret is configured for reading. */
    public boolean hasPrevious() {
        return previous != null;
    }

    public String encrypt(String plaintext) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(salt);
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(secret, Cipher.ENCRYPT_MODE, salt, iv);
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
        return open(blob).map(Opened::plaintext);
    }

    /**
     * Opens the blob with the current client secret, else with the previous one; empty when neither opens it (or
     * it is not ours, was written for another client, or was altered).
     */
    public Optional<Opened> open(String blob) {
        Optional<String> plain = decrypt(blob, secret);
        if (plain.isPresent() || previous == null) {
            return plain.map(text -> new Opened(text, false));
        }
        return decrypt(blob, previous).map(text -> new Opened(text, true));
    }

    private Optional<String> decrypt(String blob, char[] key) {
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
            byte[] plain = cipher(key, Cipher.DECRYPT_MODE, salt, iv).doFinal(b64.decode(parts[3]));
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // A wrong key shows as a bad tag: the blob is then as good as absent.
            return Optional.empty();
        }
    }

    private Cipher cipher(char[] password, int mode, byte[] salt, byte[] iv) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, ITERATIONS, KEY_BITS);
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
