package io.github.kafkaconnectastro.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialCipherTest {

    private static final String PLAIN = "{\"refresh_token\":\"ort-secret-refresh\"}";

    @Test
    void decryptsWhatItEncryptedAndTheBlobShowsNothingOfIt() {
        CredentialCipher cipher = new CredentialCipher("client-secret", "client-1");
        String blob = cipher.encrypt(PLAIN);
        assertTrue(blob.startsWith("v1."), blob);
        assertFalse(blob.contains("ort-secret-refresh"));
        assertFalse(blob.contains("client-secret"));
        assertEquals(Optional.of(PLAIN), cipher.decrypt(blob));
    }

    @Test
    void eachEncryptionUsesAFreshSaltAndIv() {
        CredentialCipher cipher = new CredentialCipher("client-secret", "client-1");
        assertNotEquals(cipher.encrypt(PLAIN), cipher.encrypt(PLAIN));
    }

    @Test
    void anotherSecretOrClientCannotReadIt() {
        String blob = new CredentialCipher("client-secret", "client-1").encrypt(PLAIN);
        assertEquals(Optional.empty(), new CredentialCipher("other-secret", "client-1").decrypt(blob));
        assertEquals(Optional.empty(), new CredentialCipher("client-secret", "client-2").decrypt(blob));
    }

    @Test
    void anAlteredOrForeignBlobIsIgnored() {
        CredentialCipher cipher = new CredentialCipher("client-secret", "client-1");
        String blob = cipher.encrypt(PLAIN);
        char last = blob.charAt(blob.length() - 1);
        String altered = blob.substring(0, blob.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertEquals(Optional.empty(), cipher.decrypt(altered));
        assertEquals(Optional.empty(), cipher.decrypt("v2.a.b.c"));
        assertEquals(Optional.empty(), cipher.decrypt("v1.***.b.c"));
        assertEquals(Optional.empty(), cipher.decrypt(null));
    }

    @Test
    void thePreviousSecretReadsWhatTheCurrentOneCannotAndEncryptionTakesTheCurrentOne() {
        String old = new CredentialCipher("old-secret", "client-1").encrypt(PLAIN);
        CredentialCipher rotating = new CredentialCipher("new-secret", "old-secret", "client-1");
        assertTrue(rotating.hasPrevious());
        assertEquals(Optional.of(new CredentialCipher.Opened(PLAIN, true)), rotating.open(old));
        String again = rotating.encrypt(PLAIN);
        assertEquals(Optional.of(new CredentialCipher.Opened(PLAIN, false)), rotating.open(again));
        assertEquals(Optional.of(PLAIN), new CredentialCipher("new-secret", "client-1").decrypt(again));
        assertEquals(Optional.empty(), new CredentialCipher("old-secret", "client-1").decrypt(again));
        assertEquals(Optional.empty(), new CredentialCipher("new-secret", "other-secret", "client-1").open(old));
        assertEquals(Optional.empty(), new CredentialCipher("new-secret", "old-secret", "client-2").open(old));
        assertFalse(new CredentialCipher("new-secret", "", "client-1").hasPrevious());
        assertFalse(new CredentialCipher("new-secret", "new-secret", "client-1").hasPrevious());
    }
}
