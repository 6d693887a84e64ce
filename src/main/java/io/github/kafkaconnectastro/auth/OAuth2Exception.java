package io.github.kafkaconnectastro.auth;

import org.apache.kafka.common.config.types.Password;

/**
 * A refresh that did not work. Its message names the endpoint's error code (such as {@code invalid_grant}) and
 * never a token or the client secret.
 */
public final class OAuth2Exception extends Exception {

    private final boolean permanent;
    private final transient Password rotatedRefreshToken;

    OAuth2Exception(String message, boolean permanent) {
        this(message, permanent, null);
    }

    /** @param rotatedRefreshToken the refresh token a successful answer carried although it was unusable otherwise */
    OAuth2Exception(String message, boolean permanent, Password rotatedRefreshToken) {
        super(message);
        this.permanent = permanent;
        this.rotatedRefreshToken = rotatedRefreshToken;
    }

    /**
     * The new refresh token of an answer that was a success (HTTP 200) but had no usable access token; null when
     * there was none. The endpoint has replaced the presented one by then, so this is the only one left to present.
     */
    public Password rotatedRefreshToken() {
        return rotatedRefreshToken;
    }

    /** True when trying again cannot help: the refresh token or the client credentials were refused. */
    public boolean permanent() {
        return permanent;
    }
}
