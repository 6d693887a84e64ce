package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.emulator.AstroEmulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/**
 * The benchmark's notification frames encoded once, websocket framing included, so that a throughput round costs
 * the sending side a copy and a few patched digits per frame instead of building, encoding and checking each one.
 *
 * <p>It holds {@code variants} frames of one room, each the frame {@link AstroEmulator#publishWithId} would send for
 * {@link BenchPayload#data} of sequence number {@code v} (so with its own random name, id and message). Writing a
 * frame copies variant {@code seq % variants} and patches in place, at fixed offsets, what makes every frame distinct
 * and current: the notification's id (a ULID of the writing time whose random part carries the sequence number, so
 * ids grow with it and never repeat), its {@code ts}, {@code benchSeq} and {@code benchSent}. Every frame has the
 * same length, as {@link BenchPayload} promises.
 */
final class PreEncodedFrames {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final String ID_PLACEHOLDER = "00000000000000000000000000";
    private static final int ID_LENGTH = ID_PLACEHOLDER.length();
    private static final int ID_TIME_CHARS = 10;
    private static final int ID_SEQ_CHARS = 12;
    private static final int SEQ_DIGITS = 12;
    private static final int SENT_DIGITS = 16;
    private static final Instant TS_PLACEHOLDER = Instant.parse("2000-01-01T00:00:00Z");

    private final byte[][] variants;
    private final int header;
    private final int frameBytes;
    private final int idAt;
    private final int tsAt;
    private final int tsLength;
    private final int seqAt;
    private final int sentAt;
    /** The ids' random part before the sequence number: one per instance, fixed. */
    private final byte[] idSalt = new byte[ID_LENGTH - ID_TIME_CHARS - ID_SEQ_CHARS];

    PreEncodedFrames(String room, int variants) {
        this.variants = new byte[variants][];
        SplittableRandom random = new SplittableRandom();
        for (int i = 0; i < idSalt.length; i++) {
            idSalt[i] = (byte) CROCKFORD[random.nextInt(CROCKFORD.length)];
        }
        String first = null;
        for (int v = 0; v < variants; v++) {
            String text = AstroEmulator.notificationFrame(ID_PLACEHOLDER, TS_PLACEHOLDER, BenchPayload.TOPIC, room,
                    BenchPayload.data(room, v, 0));
            if (first == null) {
                first = text;
            } else if (text.length() != first.length()) {
                throw new IllegalStateException("benchmark frames differ in length: " + text.length() + ", "
                        + first.length());
            }
            this.variants[v] = frame(text.getBytes(StandardCharsets.US_ASCII));
        }
        int payload = first.length();
        header = payload <= 125 ? 2 : 4;
        frameBytes = header + payload;
        idAt = header + after(first, "\"id\":\"");
        tsAt = header + after(first, "\"ts\":\"");
        tsLength = TS_PLACEHOLDER.toString().length();
        seqAt = header + after(first, "\"benchSeq\":\"");
        sentAt = header + after(first, "\"benchSent\":\"");
    }

    /** Bytes of one frame, websocket header included. */
    int frameBytes() {
        return frameBytes;
    }

    /** Bytes of the websocket header in front of each frame's text. */
    int headerBytes() {
        return header;
    }

    /**
     * Writes the frame of {@code seq} into {@code dest} at {@code at}.
     *
     * @param clock what {@link #clock()} returned for this batch: the id's time, {@code ts} and {@code benchSent}
     */
    void write(byte[] dest, int at, long seq, Clock clock) {
        System.arraycopy(variants[(int) (seq % variants.length)], 0, dest, at, frameBytes);
        System.arraycopy(clock.idTime, 0, dest, at + idAt, ID_TIME_CHARS);
        System.arraycopy(idSalt, 0, dest, at + idAt + ID_TIME_CHARS, idSalt.length);
        int end = at + idAt + ID_LENGTH;
        long rest = seq;
        for (int i = 1; i <= ID_SEQ_CHARS; i++) {
            dest[end - i] = (byte) CROCKFORD[(int) (rest & 31)];
            rest >>>= 5;
        }
        System.arraycopy(clock.ts, 0, dest, at + tsAt, tsLength);
        digits(dest, at + seqAt, seq, SEQ_DIGITS);
        System.arraycopy(clock.sent, 0, dest, at + sentAt, SENT_DIGITS);
    }

    /** The time stamps of one batch, taken once: the id's time, the notification's {@code ts} and the send time. */
    record Clock(byte[] idTime, byte[] ts, byte[] sent) {
    }

    /** The current time, encoded once for a batch of frames. */
    static Clock clock() {
        long millis = System.currentTimeMillis();
        byte[] idTime = new byte[ID_TIME_CHARS];
        long rest = millis;
        for (int i = ID_TIME_CHARS - 1; i >= 0; i--) {
            idTime[i] = (byte) CROCKFORD[(int) (rest & 31)];
            rest >>>= 5;
        }
        byte[] ts = Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString()
                .getBytes(StandardCharsets.US_ASCII);
        byte[] sent = new byte[SENT_DIGITS];
        digits(sent, 0, BenchPayload.nanos(), SENT_DIGITS);
        return new Clock(idTime, ts, sent);
    }

    private static void digits(byte[] dest, int at, long value, int count) {
        long rest = value;
        for (int i = count - 1; i >= 0; i--) {
            dest[at + i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        if (rest != 0) {
            throw new IllegalArgumentException(value + " does not fit in " + count + " digits");
        }
    }

    private static int after(String text, String marker) {
        int at = text.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("no " + marker + " in the benchmark frame");
        }
        return at + marker.length();
    }

    /** An unmasked, final text frame (RFC 6455 section 5.2) around {@code payload}. */
    private static byte[] frame(byte[] payload) {
        int header = payload.length <= 125 ? 2 : 4;
        if (payload.length > 0xFFFF) {
            throw new IllegalArgumentException("a benchmark frame of " + payload.length + " bytes");
        }
        byte[] frame = new byte[header + payload.length];
        frame[0] = (byte) 0x81;
        if (header == 2) {
            frame[1] = (byte) payload.length;
        } else {
            frame[1] = 126;
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
        }
        System.arraycopy(payload, 0, frame, header, payload.length);
        return frame;
    }
}
