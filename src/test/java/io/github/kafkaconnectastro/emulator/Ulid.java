package io.github.kafkaconnectastro.emulator;

import java.security.SecureRandom;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Generates ULIDs the way Astro stamps its messages: 26 Crockford base32 characters, a 48-bit
 * millisecond timestamp followed by 80 random bits.
 *
 * <p>Ids from one generator are strictly increasing as strings: within the same millisecond (or if
 * the clock steps back) the random part of the previous id is incremented instead of redrawn, so a
 * client may rely on "lexicographic order = time order" exactly as the protocol promises.
 */
public final class Ulid {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long MAX_TIME = (1L << 48) - 1;
    private static final Ulid DEFAULT = new Ulid(System::currentTimeMillis, new SecureRandom());

    private final LongSupplier clock;
    private final Random random;
    private long lastTime = -1;
    // The 80 random bits, split because Java has no 128-bit integer: 16 high bits, 64 low bits.
    private int randomHigh;
    private long randomLow;

    /**
     * Creates a generator with its own clock and randomness (tests use a fixed clock).
     *
     * @param clock  milliseconds since the epoch
     * @param random source of the random part
     */
    public Ulid(LongSupplier clock, Random random) {
        this.clock = clock;
        this.random = random;
    }

    /** Returns the next id of a process-wide generator driven by the system clock. */
    public static String nextId() {
        return DEFAULT.next();
    }

    /** Returns the next id of this generator; strictly greater than every id it returned before. */
    public synchronized String next() {
        long now = clock.getAsLong();
        if (now < 0 || now > MAX_TIME) {
            throw new IllegalStateException("time out of ULID range: " + now);
        }
        if (now > lastTime) {
            lastTime = now;
            randomHigh = random.nextInt(1 << 16);
            randomLow = random.nextLong();
        } else {
            incrementRandom();
        }
        return encode(lastTime, randomHigh, randomLow);
    }

    /**
     * Decodes the timestamp of a ULID.
     *
     * @param ulid a 26-character ULID
     * @return milliseconds since the epoch
     */
    public static long timestamp(String ulid) {
        if (ulid.length() != 26) {
            throw new IllegalArgumentException("not a ULID: " + ulid);
        }
        long time = 0;
        for (int i = 0; i < 10; i++) {
            time = (time << 5) | decodeChar(ulid.charAt(i));
        }
        return time;
    }

    private void incrementRandom() {
        randomLow++;
        if (randomLow == 0) {
            randomHigh = (randomHigh + 1) & 0xFFFF;
            if (randomHigh == 0) {
                // 2^80 ids in one millisecond cannot happen in practice; borrowing the next millisecond
                // keeps the ordering promise even then.
                lastTime++;
            }
        }
    }

    private static String encode(long time, int high, long low) {
        char[] out = new char[26];
        for (int i = 0; i < 10; i++) {
            out[i] = ALPHABET[(int) (time >>> (45 - 5 * i)) & 31];
        }
        for (int i = 0; i < 16; i++) {
            out[10 + i] = ALPHABET[randomBits(high, low, 75 - 5 * i)];
        }
        return new String(out);
    }

    /** Returns the 5 bits starting at {@code shift} (from the least significant end) of high:low. */
    private static int randomBits(int high, long low, int shift) {
        if (shift >= 64) {
            return (high >>> (shift - 64)) & 31;
        }
        if (shift > 59) {
            return (int) ((low >>> shift) | ((long) high << (64 - shift))) & 31;
        }
        return (int) (low >>> shift) & 31;
    }

    private static int decodeChar(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == Character.toUpperCase(c)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a Crockford base32 character: " + c);
    }
}
