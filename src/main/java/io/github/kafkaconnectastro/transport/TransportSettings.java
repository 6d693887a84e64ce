package io.github.kafkaconnectastro.transport;

import org.apache.kafka.common.config.types.Password;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * How a connection reaches the gateway: the TLS context and host-name check for {@code wss://}, and an optional
 * HTTP CONNECT proxy. The proxy password stays a {@link Password}, so printing these settings shows
 * {@code [hidden]}.
 */
public final class TransportSettings {

    private final SSLContext sslContext;
    private final String endpointIdentificationAlgorithm;
    private final URI proxy;
    private final String proxyUser;
    private final Password proxyPassword;

    /**
     * @param sslContext                      the context {@code wss://} connections are made with; null for the
     *                                        JDK's default (its cacerts, no client certificate)
     * @param endpointIdentificationAlgorithm {@code HTTPS} to check that the certificate names the gateway's host;
     *                                        null or empty to skip the check
     * @param proxy                           an {@code http://host:port} CONNECT proxy, or null to connect directly
     * @param proxyUser                       the proxy's user for Basic authentication, or null for none
     * @param proxyPassword                   that user's password, or null
     */
    public TransportSettings(SSLContext sslContext, String endpointIdentificationAlgorithm, URI proxy,
                             String proxyUser, Password proxyPassword) {
        this.sslContext = sslContext;
        this.endpointIdentificationAlgorithm = endpointIdentificationAlgorithm == null
                || endpointIdentificationAlgorithm.isBlank() ? null : endpointIdentificationAlgorithm.trim();
        this.proxy = proxy;
        this.proxyUser = proxyUser == null || proxyUser.isEmpty() ? null : proxyUser;
        this.proxyPassword = proxyPassword;
    }

    SSLContext sslContext() {
        if (sslContext != null) {
            return sslContext;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** Null when host names are not checked. */
    String endpointIdentificationAlgorithm() {
        return endpointIdentificationAlgorithm;
    }

    /** Null for a direct connection. */
    URI proxy() {
        return proxy;
    }

    String proxyUser() {
        return proxyUser;
    }

    Password proxyPassword() {
        return proxyPassword;
    }

    @Override
    public String toString() {
        return "TransportSettings{endpointIdentification=" + Objects.requireNonNullElse(endpointIdentificationAlgorithm,
                "off") + ", proxy=" + proxy + (proxyUser == null ? "" : ", proxyUser=" + proxyUser
                + ", proxyPassword=" + proxyPassword) + "}";
    }
}
