package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.AstroSocket;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * How the next connection is made: afresh, or beside the connection it replaces ({@code handover}), which delivers
 * until the new one is subscribed; with the gateway's reconnect token when the gateway asked to reconnect.
 */
record NextConnection(String resumeToken, AstroSocket handover) {
    static final NextConnection FRESH = new NextConnection(null, null);

    boolean resuming() {
        return resumeToken != null;
    }

    /** The configured URL, with the reconnect token when resuming. */
    URI uri(URI base) {
        if (!resuming()) {
            return base;
        }
        String query = "reconnect_token=" + URLEncoder.encode(resumeToken, StandardCharsets.UTF_8);
        return URI.create(base + (base.getRawQuery() == null ? "?" : "&") + query);
    }

    /** Without the reconnect token, which resumes the session's subscriptions: a secret. */
    @Override
    public String toString() {
        return "NextConnection[" + (resuming() ? "resuming" : "fresh") + (handover != null ? ", handing over" : "")
                + "]";
    }
}
