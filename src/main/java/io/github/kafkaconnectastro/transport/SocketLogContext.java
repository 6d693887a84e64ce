package io.github.kafkaconnectastro.transport;

import org.slf4j.MDC;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * The logging context of the thread that created a socket (Connect's {@code connector.context}, e.g.
 * {@code [astro|task-0] }), carried onto the threads Java-WebSocket runs the connection on, which do not inherit
 * it: set on the reader for its whole life, and around every callback whichever thread runs it, so every line
 * logged for the connection names the connector and task.
 */
final class SocketLogContext {

    private final Map<String, String> context;
    private volatile Thread reader;

    /** Takes the context of the calling thread. */
    SocketLogContext() {
        Map<String, String> creators = MDC.getCopyOfContextMap();
        this.context = creators == null ? Collections.emptyMap() : creators;
    }

    /** Runs the reader thread's body with the context set for its whole life. */
    void runReader(Runnable body) {
        reader = Thread.currentThread();
        MDC.setContextMap(context);
        try {
            body.run();
        } finally {
            MDC.clear();
        }
    }

    /** Runs a callback with the context, restoring the thread's own afterwards. */
    void run(Runnable callback) {
        if (Thread.currentThread() == reader) {
            // Set once for the reader's life: no per-frame copy of the context on the hot path.
            callback.run();
            return;
        }
        Map<String, String> previous = MDC.getCopyOfContextMap();
        if (Objects.equals(previous, context)) {
            callback.run();
            return;
        }
        MDC.setContextMap(context);
        try {
            callback.run();
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }
}
