package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.emulator.AstroEmulator;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@link BenchPayload} notifications through the emulator from the calling thread, numbering them
 * with one sequence across the whole run. It is flow-controlled: the emulator's websocket server queues
 * outbound frames without bound, so "as fast as possible" would only fill the heap; instead the publisher
 * pauses while more than {@link #QUEUE_LIMIT} frames wait to be written, which is "as fast as the receiving
 * socket takes them".
 *
 * <p>The throughput rounds use {@link #burstPreEncoded}: frames encoded once ({@link PreEncodedFrames}), copied into a
 * ring of batch buffers with their ids and numbers patched in, and handed to the emulator's socket a batch at a time,
 * so that the load generator costs the shared cores little. The other phases publish one notification at a time
 * through the emulator (latency: its send time is stamped when it is handed over).
 */
final class Publisher {

    /** About 400 KB of frames: enough to keep the socket busy, small enough not to weigh on the heap. */
    static final int QUEUE_LIMIT = 1_000;
    private static final long PAUSE_NANOS = 20_000;

    /** Frames per pre-encoded batch: one write demand and, mostly, one socket write each. */
    static final int BATCH_FRAMES = 64;
    /** Batches in flight: at most this many times {@link #BATCH_FRAMES} frames wait to be written. */
    static final int RING = 16;
    /** Distinct frames (names, ids, messages) encoded per room before they repeat, ids and numbers apart. */
    static final int VARIANTS = 8_192;
    private static final long RING_TIMEOUT_NANOS = Duration.ofSeconds(60).toNanos();
    /**
     * How long the publisher naps while the oldest batch waits to be written: long enough that looking costs little
     * (a look walks the emulator's outbound queues), short against the {@link #RING} batches still queued.
     */
    private static final long RING_PAUSE_NANOS = 250_000;

    private final AstroEmulator emulator;
    private final Map<String, PreEncodedFrames> encoded = new HashMap<>();
    private final byte[][] ring = new byte[RING][];
    @SuppressWarnings("unchecked")
    private final List<ByteBuffer>[] inFlight = new List[RING];
    private long batches;
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

    /**
     * Publishes {@code count} pre-encoded notifications to the room in batches of {@link #BATCH_FRAMES}, as fast as
     * the socket takes them: at most {@link #RING} batches wait to be written.
     */
    void burstPreEncoded(String room, long count) {
        PreEncodedFrames frames = encoded(room);
        long left = count;
        while (left > 0) {
            int n = (int) Math.min(BATCH_FRAMES, left);
            int slot = (int) (batches++ % RING);
            awaitWritten(slot);
            if (ring[slot] == null || ring[slot].length < BATCH_FRAMES * frames.frameBytes()) {
                ring[slot] = new byte[BATCH_FRAMES * frames.frameBytes()];
            }
            byte[] batch = ring[slot];
            PreEncodedFrames.Clock clock = PreEncodedFrames.clock();
            for (int i = 0; i < n; i++) {
                frames.write(batch, i * frames.frameBytes(), nextSeq++, clock);
            }
            inFlight[slot] = emulator.publishPreEncoded(BenchPayload.TOPIC, room,
                    ByteBuffer.wrap(batch, 0, n * frames.frameBytes()), n);
            left -= n;
        }
    }

    /** The pre-encoded frames of a room, built on first use (before the first round: the warm-up). */
    PreEncodedFrames encoded(String room) {
        return encoded.computeIfAbsent(room, r -> new PreEncodedFrames(r, VARIANTS));
    }

    private void awaitWritten(int slot) {
        List<ByteBuffer> views = inFlight[slot];
        if (views == null) {
            return;
        }
        long deadline = System.nanoTime() + RING_TIMEOUT_NANOS;
        for (ByteBuffer view : views) {
            while (emulator.stillQueued(view)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a batch of frames waited more than 60 s to be written");
                }
                LockSupport.parkNanos(RING_PAUSE_NANOS);
            }
        }
        inFlight[slot] = null;
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
