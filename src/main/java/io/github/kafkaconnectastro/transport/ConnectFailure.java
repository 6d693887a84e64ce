package io.github.kafkaconnectastro.transport;

import io.github.kafkaconnectastro.util.SafeText;
import org.apache.kafka.common.config.types.Password;

import javax.net.ssl.SSLException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;

/**
 * Why a connection attempt failed, from the error Java-WebSocket reported, in words a user can act on: a
 * certificate problem names what is wrong with the certificate and the key to set; anything else is the error's
 * type and message. Never holds the token.
 */
final class ConnectFailure {

    private ConnectFailure() {
    }

    static String describe(Exception error, Password token) {
        String message = SafeText.serverText(error.getMessage(), token);
        if (error instanceof GatewaySocket.ProxyRefusedException) {
            return message;
        }
        if (!(error instanceof SSLException)) {
            return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + message);
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException) {
                return "TLS: the gateway's certificate has expired or is not valid yet (" + message + "); the gateway "
                        + "must renew it, or this machine's clock is wrong";
            }
            if (cause instanceof CertPathBuilderException) {
                return "TLS: the gateway's certificate is not trusted (" + message + "); put it, or the CA that "
                        + "signed it, in a trust store and set astro.ssl.truststore.location (with "
                        + "astro.ssl.truststore.password and astro.ssl.truststore.type)";
            }
        }
        if (error.getMessage() != null && (error.getMessage().contains("No subject alternative")
                || error.getMessage().contains("No name matching"))) {
            return "TLS: the gateway's certificate does not name the host in astro.url (" + message + "); use a host "
                    + "name the certificate names, or turn the check off with an empty "
                    + "astro.ssl.endpoint.identification.algorithm (not recommended)";
        }
        return "TLS handshake failed (" + error.getClass().getSimpleName() + ": " + message + "); check "
                + "astro.ssl.protocol, and astro.ssl.keystore.location if the gateway asks for a client certificate";
    }
}
