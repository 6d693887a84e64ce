package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.AstroSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Predicate;

/**
 * The session's callbacks from its sockets; they run on Java-WebSocket's reader threads and never block except on
 * the buffer. Frames of the current and the outgoing connection go to the {@link FrameRouter}, those of a
 * connection given up are dropped; a close goes to the session's thread, which decides what comes next.
 */
final class ConnectionListener implements AstroSocket.Listener {

    private static final Logger log = LoggerFactory.getLogger(ConnectionListener.class);

    private final Connections connections;
    private final FrameRouter router;
    private final Predicate<SessionEvent> events;
    private final int eventCapacity;
    private final SessionSettings settings;

    /**
     * @param events        takes an event for the session's thread; false when its queue is full
     * @param eventCapacity how many events that queue holds, for the warning when it is full
     */
    ConnectionListener(Connections connections, FrameRouter router, Predicate<SessionEvent> events, int eventCapacity,
                       SessionSettings settings) {
        this.connections = connections;
        this.router = router;
        this.events = events;
        this.eventCapacity = eventCapacity;
        this.settings = settings;
    }

    @Override
    public void onOpen(AstroSocket socket) {
        // Nothing to do: the socket runs every callback in the task's log context already.
    }

    @Override
    public void onText(AstroSocket socket, String text) {
        if (connections.live(socket)) {
            router.onText(socket, text);
        }
    }

    @Override
    public void onBinary(AstroSocket socket, int bytes) {
        if (connections.live(socket)) {
            router.onBinary(bytes);
        }
    }

    @Override
    public void onClosed(AstroSocket socket, int code, String reason, boolean remote) {
        connections.closed(socket);
        if (!events.test(new SessionEvent.Closed(socket, code, reason, remote))) {
            log.warn("Could not hand the close of the Astro connection to the session: it is {} events behind",
                    eventCapacity);
        }
    }

    @Override
    public void onError(AstroSocket socket, Exception error) {
        socket.failure(error, settings.token());
        log.debug("Websocket error on the Astro connection", error);
    }
}
