package io.github.kafkaconnectastro.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JwtExpiryTest {

    private static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void readsTheExpClaimWithoutVerifying() {
        assertEquals(Optional.of(Instant.ofEpochSecond(1_767_225_600L)),
                JwtExpiry.of(jwt("{\"channel\":\"abc\",\"exp\":1767225600}")));
    }

    @Test
    void acceptsPaddedClaimsAndSurroundingBlanks() {
        String claims = Base64.getUrlEncoder().encodeToString("{\"exp\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of(Instant.ofEpochSecond(1)), JwtExpiry.of(" eyJhbGciOiJub25lIn0." + claims + ".x "));
    }

    @Test
    void aTokenThatIsNotAJwtHasNoKnownExpiry() {
        assertEquals(Optional.empty(), JwtExpiry.of("3f9a1c0e5b7d"));
        assertEquals(Optional.empty(), JwtExpiry.of("a.b"));
        assertEquals(Optional.empty(), JwtExpiry.of("a.!!!.c"));
        assertEquals(Optional.empty(), JwtExpiry.of(null));
    }

    @Test
    void aJwtWithoutANumericExpHasNoKnownExpiry() {
        assertEquals(Optional.empty(), JwtExpiry.of(jwt("{\"channel\":\"abc\"}")));
        assertEquals(Optional.empty(), JwtExpiry.of(jwt("{\"exp\":\"tomorrow\"}")));
        assertEquals(Optional.empty(), JwtExpiry.of(jwt("[1,2]")));
        assertEquals(Optional.empty(), JwtExpiry.of(jwt("not json")));
    }
}
