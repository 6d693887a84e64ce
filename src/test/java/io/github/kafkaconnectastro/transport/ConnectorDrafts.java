package io.github.kafkaconnectastro.transport;

import org.java_websocket.drafts.Draft;

/** For benchmarks outside this package: the RFC 6455 draft each {@link AstroSocket} uses, without its handshake. */
public final class ConnectorDrafts {

    private ConnectorDrafts() {
    }

    /** A fresh draft, as one connection gets it, whose messages are bounded by {@code maxMessageBytes}. */
    public static Draft connectorDraft(int maxMessageBytes) {
        return new BoundedMessageDraft(maxMessageBytes).copyInstance();
    }
}
