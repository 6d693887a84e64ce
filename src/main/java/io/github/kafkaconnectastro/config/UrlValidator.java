package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The validator of every URL key: the URL parses, has a scheme the key accepts and a host, and carries no
 * credentials (each secret has a key of its own, and a message never repeats one). Whether a plain scheme may
 * reach a host that is not loopback is decided here only where no other key can allow it (astro.allow.plaintext
 * is checked across keys, in validate()).
 */
final class UrlValidator implements ConfigDef.Validator {

    /** When the plain scheme (ws://, http://) is accepted. */
    private enum Plain { ANY_HOST, LOOPBACK_ONLY, ONLY }

    /** What may follow the host and port. */
    private enum Rest { ANYTHING, NO_QUERY, NOTHING }

    private final String description;
    private final String secure;
    private final String plain;
    private final Plain plainUse;
    private final String example;
    private final String credentialsHint;
    private final boolean optional;
    private final Rest rest;

    private UrlValidator(String description, String secure, String plain, Plain plainUse, String example,
                         String credentialsHint, boolean optional, Rest rest) {
        this.description = description;
        this.secure = secure;
        this.plain = plain;
        this.plainUse = plainUse;
        this.example = example;
        this.credentialsHint = credentialsHint;
        this.optional = optional;
        this.rest = rest;
    }

    /** wss://, or ws:// (its hosts checked with astro.allow.plaintext). */
    static UrlValidator websocket(String example, String credentialsHint) {
        return new UrlValidator("a ws:// or wss:// URL", "wss", "ws", Plain.ANY_HOST, example, credentialsHint, false,
                Rest.ANYTHING);
    }

    /** https://, or http:// (its hosts checked with astro.allow.plaintext). */
    static UrlValidator http(String example) {
        return new UrlValidator("an http:// or https:// URL", "https", "http", Plain.ANY_HOST, example, "", false,
                Rest.ANYTHING);
    }

    /** https://, or http:// for a loopback host only; no query, which could hold a secret. */
    static UrlValidator httpsOrLoopback(String example, String credentialsHint) {
        return new UrlValidator("an https:// URL (http:// for a loopback host)", "https", "http",
                Plain.LOOPBACK_ONLY, example, credentialsHint, false, Rest.NO_QUERY);
    }

    /** An HTTP proxy's http://host:port, or empty for none. */
    static UrlValidator httpProxy(String credentialsHint) {
        return new UrlValidator("http://host:port, or empty", null, "http", Plain.ONLY, "http://host:port",
                credentialsHint, true, Rest.NOTHING);
    }

    @Override
    public void ensureValid(String name, Object value) {
        String text = value == null ? "" : value.toString().trim();
        if (optional && text.isEmpty()) {
            return;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // Hidden: a URL that does not parse may still hold a user's password.
            throw new ConfigException(name, "[hidden]", "not a URL (" + e.getReason() + "); expected e.g. " + example);
        }
        if (uri.getUserInfo() != null) {
            throw new ConfigException(name, "[hidden]", "the URL must not carry credentials" + credentialsHint);
        }
        String scheme = uri.getScheme();
        boolean isPlain = plain.equalsIgnoreCase(scheme);
        if (!isPlain && !(secure != null && secure.equalsIgnoreCase(scheme))
                || isPlain && plainUse == Plain.LOOPBACK_ONLY && !AstroSecurityConfig.isLoopback(uri.getHost())) {
            throw new ConfigException(name, text, "the scheme must be " + schemes());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ConfigException(name, text, "the URL has no host; expected e.g. " + example);
        }
        if (rest != Rest.ANYTHING && uri.getRawQuery() != null) {
            throw new ConfigException(name, "[hidden]", "the URL must not carry a query" + credentialsHint);
        }
        if (rest == Rest.NOTHING && !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/"))) {
            throw new ConfigException(name, text, "expected " + example + ", without a path");
        }
    }

    private String schemes() {
        return switch (plainUse) {
            case ANY_HOST -> secure + ":// or " + plain + "://";
            case LOOPBACK_ONLY -> secure + ":// (" + plain + ":// only for a loopback host)";
            case ONLY -> plain + "://";
        };
    }

    @Override
    public String toString() {
        return description;
    }
}
