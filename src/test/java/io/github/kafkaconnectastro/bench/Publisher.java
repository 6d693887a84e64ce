package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.emulator.AstroEmulator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@link BenchPayload} notifications through the emulator from the calling thread, numbering them
 * with one sequence across the whole run. It is flow-controlled: the emulator's websocket server queues
 * outbound frames without bound, so "as fast as possible" would only fill the heap; instead the publisher
 * pauses while more than {@link #QUEUE_LIMIT} frames wait to be written, which is "as fast as the receiving
 * socket takes them".
 */
final class Publisher {

    /** About 400 KB of frames: enough to keep the socket busy, small enough not to weigh on the heap. */
    static final int QUEUE_LIMIT = 1_000;
    private static final long PAUSE_NANOS = 20_000;

    private final AstroEmulator emulator;
    private long nextSeq;
    private int queueHighWater;

    Publisher(AstroEmulator emulator) {
        this.emulator = emulator;
    }

    /** The sequence number the next notification gets; notifications [a, b) were published between two calls. */
    long nextSeq() {
        return nextSeq;
    }

    /** The most frames seen waiting in the emulator's outbound queues since the last reset. */
    int queueHighWater() {
        return queueHighWater;
    }

    void resetQueueHighWater() {
        queueHighWater = 0;
    }

    /** Publishes {@code count} notifications to the room as fast as the socket takes them. */
    void burst(String room, long count) {
        for (long i = 0; i < count; i++) {
            awaitQueueRoom();
            publish(room);
        }
    }

    /** Publishes as fast as the socket takes them for a while; returns how many were published. */
    long forDuration(String room, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        long count = 0;
        while (System.nanoTime() < deadline) {
            awaitQueueRoom();
            publish(room);
            count++;
        }
        return count;
    }

    /**
     * Publishes at a fixed rate for a while, each notification at its scheduled time (or at once when late).
     *
     * @return how many were published
     */
    long atRate(String room, int perSecond, Duration duration) {
        return atRate(List.of(room), perSecond, duration);
    }

    /** As {@link #atRate(String, int, Duration)}, the notifications going to the rooms in turn. */
    long atRate(List<String> rooms, int perSecond, Duration duration) {
        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        long total = duration.toNanos() / interval;
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            awaitQueueRoom();
            publish(rooms.get((int) (nextSeq % rooms.size())));
        }
        return total;
    }

    private void publish(String room) {
        emulator.publish(BenchPayload.TOPIC, room, BenchPayload.data(room, nextSeq++, BenchPayload.nanos()));
    }

    private void awaitQueueRoom() {
        int queued = emulator.outboundQueuedFrames();
        while (queued > QUEUE_LIMIT) {
            queueHighWater = Math.max(queueHighWater, queued);
            LockSupport.parkNanos(PAUSE_NANOS);
            queued = emulator.outboundQueuedFrames();
        }
        queueHighWater = Math.max(queueHighWater, queued);
    }
}
