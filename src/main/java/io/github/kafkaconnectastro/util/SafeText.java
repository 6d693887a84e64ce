package io.github.kafkaconnectastro.util;

import org.apache.kafka.common.config.types.Password;

import java.net.URI;

/**
 * Text from the gateway, or about it, made fit for a log line or a task's status: the token removed, line breaks
 * and other control characters escaped (a server's text must not forge log lines), and the length capped.
 */
public final class SafeText {

    /** The most characters of a server's text that reach a log line. */
    public static final int MAX_CHARS = 200;

    private SafeText() {
    }

    /**
     * A server message fit for a log line or an exception message. The token is removed in case the server ever
     * echoes it; CR, LF, tabs and other control characters are escaped; the text is cut at {@link #MAX_CHARS}.
     */
    public static String serverText(String message, Password token) {
        if (message == null) {
            return "no message";
        }
        String secret = token == null ? null : token.value();
        String cleaned = secret == null || secret.isEmpty() ? message : message.replace(secret, "[hidden]");
        StringBuilder out = new StringBuilder(Math.min(cleaned.length(), MAX_CHARS) + 8);
        for (int i = 0; i < cleaned.length(); i++) {
            if (out.length() >= MAX_CHARS) {
                return out.append('…').toString();
            }
            char c = cleaned.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A value from a server's frame (an id, a room) fit for a log line: escaped and capped like any server text. */
    public static String value(String value) {
        return value == null ? "(none)" : serverText(value, null);
    }

    /** The gateway address without its query, which may hold a reconnect token. */
    public static String displayUri(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + (uri.getPath() == null ? "" : uri.getPath());
    }
}
