package io.github.kafkaconnectastro.auth;

/**
 * A refresh that did not work. Its message names the endpoint's error code (such as {@code invalid_grant}) and
 * never a token or the client secret.
 */
public final class OAuth2Exception extends Exception {

    private final boolean permanent;

    OAuth2Exception(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    /** True when trying again cannot help: the refresh token or the client credentials were refused. */
    public boolean permanent() {
        return permanent;
    }
}
