package io.github.kafkaconnectastro.integration;

import io.github.kafkaconnectastro.emulator.AstroEmulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes notifications round-robin to a set of (topic, room) pairs from its own thread, so that a fault can be
 * injected while messages are flowing. Remembers every id it published, delivered or not.
 */
final class Publisher implements AutoCloseable {

    private final AstroEmulator emulator;
    private final List<String[]> pairs;
    private final long intervalMs;
    private final List<String> ids = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private Publisher(AstroEmulator emulator, List<String[]> pairs, long intervalMs) {
        this.emulator = emulator;
        this.pairs = List.copyOf(pairs);
        this.intervalMs = intervalMs;
        this.thread = new Thread(this::run, "it-publisher");
        this.thread.setDaemon(true);
    }

    /** Starts publishing one notification every {@code intervalMs}, cycling through the pairs. */
    static Publisher start(AstroEmulator emulator, List<String[]> pairs, long intervalMs) {
        Publisher publisher = new Publisher(emulator, pairs, intervalMs);
        publisher.thread.start();
        return publisher;
    }

    private void run() {
        long n = 0;
        while (running) {
            String[] pair = pairs.get((int) (n % pairs.size()));
            String id = emulator.publish(pair[0], pair[1], "{\"type\":\"tip\",\"channel\":\"" + pair[1]
                    + "\",\"data\":{\"seq\":" + n + "}}");
            synchronized (ids) {
                ids.add(id);
            }
            n++;
            try {
                TimeUnit.MILLISECONDS.sleep(intervalMs);
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

    @Override
    public void close() {
        stop();
    }
}
