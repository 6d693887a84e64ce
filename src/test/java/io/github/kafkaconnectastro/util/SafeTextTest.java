package io.github.kafkaconnectastro.util;

import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTextTest {

    private static final Password TOKEN = new Password("eyJsecret.token");

    @Test
    void escapesLineBreaksSoAServerCannotForgeALogLine() {
        String text = SafeText.serverText("bad request\r\n2026-03-19 12:00:00 ERROR forged\u2028line", TOKEN);
        assertEquals("bad request\\r\\n2026-03-19 12:00:00 ERROR forged\\u2028line", text);
        assertFalse(text.contains("\n") || text.contains("\r"), text);
    }

    @Test
    void escapesOtherControlCharacters() {
        assertEquals("a\\tb\\u001b[31mc\\u0000d\\u0085", SafeText.serverText("a\tb\u001b[31mc\u0000d\u0085", TOKEN));
    }

    @Test
    void neverShowsTheToken() {
        String text = SafeText.serverText("invalid token eyJsecret.token (eyJsecret.token)", TOKEN);
        assertEquals("invalid token [hidden] ([hidden])", text);
    }

    @Test
    void leavesTheTextAloneWithoutAToken() {
        assertEquals("plain", SafeText.serverText("plain", null));
        assertEquals("plain", SafeText.serverText("plain", new Password("")));
    }

    @Test
    void capsTheLength() {
        assertEquals("x".repeat(SafeText.MAX_CHARS), SafeText.serverText("x".repeat(SafeText.MAX_CHARS), TOKEN));
        String cut = SafeText.serverText("x".repeat(10_000), TOKEN);
        assertEquals("x".repeat(SafeText.MAX_CHARS) + "…", cut);
        String escaped = SafeText.serverText("\n".repeat(10_000), TOKEN);
        assertTrue(escaped.length() <= SafeText.MAX_CHARS + 7, "escapes count towards the cap: " + escaped.length());
    }

    @Test
    void aTokenCutByTheCapDoesNotShowEither() {
        String text = SafeText.serverText("y".repeat(SafeText.MAX_CHARS - 5) + "eyJsecret.token", TOKEN);
        assertFalse(text.contains("eyJsec"), text);
    }

    @Test
    void noMessageIsSaid() {
        assertEquals("no message", SafeText.serverText(null, TOKEN));
    }

    @Test
    void displayUriDropsTheQueryWithItsReconnectToken() {
        assertEquals("wss://astro.streamelements.com/",
                SafeText.displayUri(URI.create("wss://astro.streamelements.com/?reconnect_token=eyJabc")));
    }
}
