package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.emulator.ActivityGenerator;
import io.github.kafkaconnectastro.emulator.AstroEmulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Publishes notifications round-robin to a set of (topic, room) pairs from its own thread, so that a fault can be
 * injected while messages are flowing. Remembers every id it published, delivered or not, and, for payloads with
 * one, every event id ({@code data._id}).
 */
final class Publisher implements AutoCloseable {

    private final AstroEmulator emulator;
    private final List<String[]> pairs;
    private final long intervalMs;
    private final Function<String[], String> payloads;
    private final List<String> ids = new ArrayList<>();
    private final List<String> eventIds = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Whether each notification is due at its own time from the start, so that a slow publish is caught up. */
    private boolean paced;

    private Publisher(AstroEmulator emulator, List<String[]> pairs, long intervalMs,
                      Function<String[], String> payloads) {
        this.emulator = emulator;
        this.payloads = payloads;
        this.pairs = List.copyOf(pairs);
        this.intervalMs = intervalMs;
        this.thread = new Thread(this::run, "it-publisher");
        this.thread.setDaemon(true);
    }

    /** Starts publishing one notification every {@code intervalMs}, cycling through the pairs. */
    static Publisher start(AstroEmulator emulator, List<String[]> pairs, long intervalMs) {
        long[] n = {0};
        return start(emulator, pairs, intervalMs, pair -> "{\"type\":\"tip\",\"channel\":\"" + pair[1]
                + "\",\"data\":{\"seq\":" + n[0]++ + "}}");
    }

    /**
     * Publishes the {@link ActivityGenerator}'s activities and tips (each with its own {@code _id} and
     * {@code createdAt}), one every {@code intervalMs}, cycling through the pairs.
     */
    static Publisher startEvents(AstroEmulator emulator, List<String[]> pairs, long intervalMs, long seed) {
        ActivityGenerator generator = new ActivityGenerator(seed);
        return start(emulator, pairs, intervalMs, pair -> generator.next(pair[0], pair[1]));
    }

    /**
     * Like {@link #startEvents}, at {@code perSecond} notifications a second however long a publish takes: the
     * n-th is due n / perSecond seconds after the start.
     */
    static Publisher startEventsAt(AstroEmulator emulator, List<String[]> pairs, int perSecond, long seed) {
        ActivityGenerator generator = new ActivityGenerator(seed);
        Publisher publisher = new Publisher(emulator, pairs, 1000 / perSecond, p -> generator.next(p[0], p[1]));
        publisher.paced = true;
        publisher.thread.start();
        return publisher;
    }

    private static Publisher start(AstroEmulator emulator, List<String[]> pairs, long intervalMs,
                                   Function<String[], String> payloads) {
        Publisher publisher = new Publisher(emulator, pairs, intervalMs, payloads);
        publisher.thread.start();
        return publisher;
    }

    private void run() {
        long n = 0;
        long start = System.nanoTime();
        while (running) {
            String[] pair = pairs.get((int) (n % pairs.size()));
            String payload = payloads.apply(pair);
            String id = emulator.publish(pair[0], pair[1], payload);
            String eventId = ConnectFixture.eventIdOf(payload);
            synchronized (ids) {
                ids.add(id);
                if (eventId != null) {
                    eventIds.add(eventId);
                }
            }
            n++;
            try {
                long wait = paced ? TimeUnit.NANOSECONDS.toMillis(start + TimeUnit.MILLISECONDS.toNanos(intervalMs * n)
                        - System.nanoTime()) : intervalMs;
                TimeUnit.MILLISECONDS.sleep(Math.max(0, wait));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How many notifications were published so far. */
    int count() {
        synchronized (ids) {
            return ids.size();
        }
    }

    /** Waits until {@code n} notifications were published; fails the test when the publisher is stuck. */
    void awaitCount(int n, Duration timeout) {
        if (!ConnectFixture.eventually(() -> count() >= n, timeout)) {
            throw new AssertionError("the publisher is stuck at " + count() + " of " + n + " notifications");
        }
    }

    /** Stops publishing and returns every id published, in order. */
    List<String> stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (ids) {
            return List.copyOf(ids);
        }
    }

    /** The event ids published so far, in order. */
    List<String> eventIds() {
        synchronized (ids) {
            return List.copyOf(eventIds);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
