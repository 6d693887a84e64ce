package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.Inbound;

import io.github.kafkaconnectastro.protocol.AstroMessage;

/**
 * What a connection's reader hands to the session's thread. Each event names its connection, so that the session
 * ignores late events of a connection it has already given up.
 */
sealed interface SessionEvent {
    Inbound source();

    record Welcomed(Inbound source) implements SessionEvent { }

    record Answer(Inbound source, AstroMessage.Response response) implements SessionEvent { }

    record ReconnectAsked(Inbound source, AstroMessage.Reconnect reconnect) implements SessionEvent { }

    record Closed(Inbound source, int code, String reason, boolean remote) implements SessionEvent { }
}
