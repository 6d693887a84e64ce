package io.github.kafkaconnectastro.session;

/**
 * How one served connection ended, and what the session does next: stop, reconnect after a delay, or open the next
 * connection at once while this one still delivers (a renewed token, the gateway's reconnect request).
 *
 * @param cause          what the reconnect is counted as; null when the task stops
 * @param detail         for the log line and the reconnect budget's last problem; never a secret
 * @param reconnectToken the gateway's token that resumes the session's subscriptions; only when it asked
 */
record ConnectionOutcome(Kind kind, ReconnectCause cause, String detail, String reconnectToken) {

    enum Kind { STOPPED, CLOSED, RECONNECT_REQUESTED, TOKEN_RENEWED }

    static ConnectionOutcome stopped() {
        return new ConnectionOutcome(Kind.STOPPED, null, "stopping", null);
    }

    static ConnectionOutcome closed(ReconnectCause cause, String detail) {
        return new ConnectionOutcome(Kind.CLOSED, cause, detail, null);
    }

    static ConnectionOutcome tokenRenewed() {
        return new ConnectionOutcome(Kind.TOKEN_RENEWED, ReconnectCause.TOKEN_RENEWED, "a renewed token", null);
    }

    static ConnectionOutcome reconnect(String token, String detail) {
        return new ConnectionOutcome(Kind.RECONNECT_REQUESTED, ReconnectCause.SERVER_RECONNECT, detail, token);
    }

    /** Whether the next connection is opened beside this one, which delivers until the next is subscribed. */
    boolean handsOver() {
        return kind == Kind.TOKEN_RENEWED || kind == Kind.RECONNECT_REQUESTED;
    }

    /** Without the reconnect token, which resumes the session's subscriptions: a secret. */
    @Override
    public String toString() {
        return "ConnectionOutcome[" + kind + ", " + cause + ", " + detail + "]";
    }
}
