package io.github.kafkaconnectastro.auth;

/** Where a user renews each kind of token; named in log lines and task failures, so that they can be acted on. */
public final class TokenRenewal {

    /** The dashboard page whose "Show secrets" shows the JWT. */
    public static final String DASHBOARD_URL = "https://streamelements.com/dashboard/account/channels";

    private TokenRenewal() {
    }
}
