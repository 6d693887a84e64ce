package io.github.kafkaconnectastro.emulator;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Astro's keep-alive: a WebSocket PING to every client at a fixed interval, and a drop (no close
 * frame) for clients whose last PONG is older than the timeout. Java-WebSocket has a similar
 * "connection lost" timer, but it cannot be paused for silent mode and ties the timeout to 1.5
 * times the interval, while Astro uses 30 s and 70 s.
 */
final class Heartbeat {

    private final Supplier<Collection<ClientSession>> sessions;
    private final BooleanSupplier silent;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> task;
    private volatile long pongTimeoutNanos = TimeUnit.SECONDS.toNanos(70);
    private boolean closed;

    Heartbeat(Supplier<Collection<ClientSession>> sessions, BooleanSupplier silent) {
        this.sessions = sessions;
        this.silent = silent;
    }

    Duration pongTimeout() {
        return Duration.ofNanos(pongTimeoutNanos);
    }

    /** (Re)starts pinging; a zero interval stops it. Resets every pong clock. */
    synchronized void configure(Duration pingInterval, Duration pongTimeout) {
        pongTimeoutNanos = pongTimeout.toNanos();
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        sessions.get().forEach(ClientSession::pongReceived);
        long interval = pingInterval.toNanos();
        if (interval <= 0 || closed) {
            return;
        }
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "astro-emulator-heartbeat");
                t.setDaemon(true);
                return t;
            });
        }
        task = executor.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** Stops the scheduler thread and waits for it to end. */
    void close(long timeoutMillis) throws InterruptedException {
        ScheduledExecutorService toStop;
        synchronized (this) {
            closed = true;
            toStop = executor;
        }
        if (toStop != null) {
            toStop.shutdownNow();
            toStop.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void beat() {
        // An exception escaping a periodic task would silently cancel every later ping.
        try {
            if (silent.getAsBoolean()) {
                return;
            }
            long now = System.nanoTime();
            long timeout = pongTimeoutNanos;
            for (ClientSession session : sessions.get()) {
                if (timeout > 0 && now - session.lastPongNanos() > timeout) {
                    session.dropAbruptly("pong timeout");
                } else {
                    session.sendPing();
                }
            }
        } catch (RuntimeException e) {
            System.err.println("astro emulator heartbeat failed: " + e);
        }
    }
}
