package io.github.kafkaconnectastro.protocol;

import java.util.Locale;

/**
 * The kinds of token Astro accepts in a subscribe command. The OAuth2 kind is spelt {@code oauth} by older
 * gateways and {@code oauth2} by newer ones; both are accepted and sent as configured, since which spelling a
 * given gateway accepts is not known.
 */
public enum TokenType {
    JWT("jwt"),
    OAUTH2("oauth2"),
    OAUTH("oauth"),
    APIKEY("apikey");

    private final String wire;

    TokenType(String wire) {
        this.wire = wire;
    }

    /** The value sent as {@code data.token_type}. */
    public String wire() {
        return wire;
    }

    /**
     * Parses a configured value, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static TokenType parse(String value) {
        String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (TokenType type : values()) {
            if (type.wire.equals(normalized)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown token type '" + value + "'");
    }
}
