package io.github.kafkaconnectastro.protocol;

import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the gateway's ULID ids: 26 Crockford base32 characters, the first ten a 48-bit millisecond time. In upper
 * case their string order is their time order, which is what deduplication after a restart relies on; so ids are
 * checked before they are trusted as a floor, and brought to upper case before they are compared.
 */
public final class Ulid {

    public static final int LENGTH = 26;
    /** What a valid id looks like, for messages a user has to act on. */
    public static final String DESCRIPTION = LENGTH + " Crockford base32 characters (digits and letters except "
            + "I, L, O, U), the first one 0-7, such as 01J5Z3K2V7W8X9Y0Z1A2B3C4D5";

    private static final int TIME_LENGTH = 10;
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    /** The value of each ASCII character, upper or lower case; -1 for characters outside the alphabet. */
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int value = 0; value < ALPHABET.length(); value++) {
            char c = ALPHABET.charAt(value);
            VALUES[c] = (byte) value;
            VALUES[Character.toLowerCase(c)] = (byte) value;
        }
    }

    private Ulid() {
    }

    public static boolean isUlid(String id) {
        return canonical(id) != null;
    }

    /**
     * The id in upper case: the same instance when it already is.
     *
     * @throws IllegalArgumentException when the id is not a ULID
     */
    public static String normalise(String id) {
        String canonical = canonical(id);
        if (canonical == null) {
            throw notAUlid(id);
        }
        return canonical;
    }

    /**
     * The id in upper case (the same instance when it already is), or null when it is not a ULID. One pass over
     * the id, for the per-notification path.
     */
    public static String canonical(String id) {
        if (id == null || id.length() != LENGTH || id.charAt(0) > '7') {
            return null;
        }
        boolean lowerCase = false;
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (c >= VALUES.length || VALUES[c] < 0) {
                return null;
            }
            lowerCase |= c >= 'a';
        }
        return lowerCase ? id.toUpperCase(Locale.ROOT) : id;
    }

    /**
     * The id's time, in milliseconds since the epoch.
     *
     * @param ulid a ULID, in either case
     * @throws IllegalArgumentException when the id is not a ULID
     */
    public static long timestampMillis(String ulid) {
        if (ulid.length() != LENGTH || ulid.charAt(0) > '7') {
            throw notAUlid(ulid);
        }
        long millis = 0;
        for (int i = 0; i < TIME_LENGTH; i++) {
            char c = ulid.charAt(i);
            if (c >= VALUES.length || VALUES[c] < 0) {
                throw notAUlid(ulid);
            }
            millis = millis << 5 | VALUES[c];
        }
        return millis;
    }

    private static IllegalArgumentException notAUlid(String id) {
        return new IllegalArgumentException("'" + id + "' is not a ULID: expected " + DESCRIPTION);
    }
}
