package io.github.kafkaconnectastro.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The notification every benchmark sends: a {@code channel.activities} tip of fixed size (about 400 bytes as a
 * frame), ASCII only, whose tipper's name, id and message vary from one notification to the next. It carries its
 * sequence number and its send time so that a consumer of the Kafka topic can tell which notification a record is
 * and how long it took. Both numbers are zero-padded strings, so every
 * frame has the same size (JSON numbers may not have leading zeros).
 */
final class BenchPayload {

    /** The Astro topic of every benchmark notification. */
    static final String TOPIC = "channel.activities";

    private static final long EPOCH = System.nanoTime();
    private static final int SEQ_DIGITS = 12;
    private static final int SENT_DIGITS = 16;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz_";
    private static final String DIGITS = "0123456789";
    private static final String MESSAGE_CHARS = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ!";
    private static final byte[] SEQ_MARKER = "benchSeq".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SENT_MARKER = "benchSent".getBytes(StandardCharsets.US_ASCII);

    private BenchPayload() {
    }

    /**
     * The benchmark clock: {@link System#nanoTime()} from the class's loading, so positive and within the digits
     * the payload holds. Sender and consumer run in one JVM, so their readings compare directly.
     */
    static long nanos() {
        return System.nanoTime() - EPOCH;
    }

    /** The notification's {@code data} object as JSON text. */
    static String data(String room, long seq, long sentNanos) {
        StringBuilder out = new StringBuilder(300);
        // The tipper's name, id and message vary (from the sequence number, so a run is reproducible): identical
        // frames would make compression look far better than on real traffic.
        SplittableRandom random = new SplittableRandom(seq);
        out.append("{\"type\":\"tip\",\"provider\":\"twitch\",\"channel\":\"").append(room)
                .append("\",\"data\":{\"username\":\"");
        randomText(out, random, LETTERS, 12);
        out.append("\",\"providerId\":\"");
        randomText(out, random, DIGITS, 9);
        out.append("\",\"amount\":12.5,\"currency\":\"USD\",\"message\":\"");
        randomText(out, random, MESSAGE_CHARS, 8);
        out.append("\",\"benchSeq\":\"");
        pad(out, seq, SEQ_DIGITS);
        out.append("\",\"benchSent\":\"");
        pad(out, sentNanos, SENT_DIGITS);
        return out.append("\"},\"createdAt\":\"2024-02-15T14:52:41.608Z\"}").toString();
    }

    /** The sequence number in a record value (any serialization that keeps the digits), or -1. */
    static long seqOf(byte[] value) {
        return numberAfter(value, SEQ_MARKER);
    }

    /** The send time in a record value, on the {@link #nanos()} clock, or -1. */
    static long sentNanosOf(byte[] value) {
        return numberAfter(value, SENT_MARKER);
    }

    private static void randomText(StringBuilder out, SplittableRandom random, String alphabet, int length) {
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
    }

    private static void pad(StringBuilder out, long value, int digits) {
        String text = Long.toString(value);
        if (value < 0 || text.length() > digits) {
            throw new IllegalArgumentException(value + " does not fit in " + digits + " digits");
        }
        for (int i = text.length(); i < digits; i++) {
            out.append('0');
        }
        out.append(text);
    }

    /**
     * The digits that follow the marker once the separator between them is skipped. The value's {@code data} is
     * JSON text inside JSON, so the separator is {@code \":\"} rather than {@code ":"}; skipping whatever is not a
     * digit reads both.
     */
    private static long numberAfter(byte[] value, byte[] marker) {
        int at = indexOf(value, marker);
        if (at < 0) {
            return -1;
        }
        int i = at + marker.length;
        while (i < value.length && (value[i] < '0' || value[i] > '9')) {
            i++;
        }
        long number = 0;
        int digits = 0;
        while (i < value.length && value[i] >= '0' && value[i] <= '9') {
            number = number * 10 + (value[i] - '0');
            i++;
            digits++;
        }
        return digits == 0 ? -1 : number;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
