package io.github.kafkaconnectastro.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads a notification's {@code ts}, and the times in typed payloads. Every frame carries one, and {@link OffsetDateTime#parse} took about a quarter
 * of the socket reader's time in the benchmark's profile, so the usual shape, {@code 2024-02-15T14:52:42Z} with
 * an optional fraction of up to nine digits and {@code Z} or {@code ±hh:mm}, is read by hand. Anything else,
 * including every invalid value, goes to {@link OffsetDateTime#parse}: the two accept and reject exactly the
 * same texts, and a rejected one throws the same {@link DateTimeParseException}.
 */
public final class Rfc3339 {

    private static final int SECONDS_PER_DAY = 86_400;
    private static final int[] NANO_SCALE = {
        0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };

    private Rfc3339() {
    }

    /**
     * @throws DateTimeParseException when the text is not an RFC 3339 date-time with an offset
     */
    public static Instant parse(String text) {
        Instant fast = tryFast(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    /** Returned by {@link #epochMsOrUnknown} for a time it cannot read. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    /**
     * A time such as a payload's or a REST document's {@code createdAt}, in epoch ms; {@link #UNKNOWN} when null,
     * unreadable, or when it parses but epoch milliseconds cannot hold it ({@code +999999999-12-31T23:59:59Z}).
     */
    public static long epochMsOrUnknown(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        try {
            return parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return UNKNOWN;
        }
    }

    /** The instant, or null when the text is not in the common shape (valid or not: the caller decides). */
    static Instant tryFast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            int count = i - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(s, start, count) * NANO_SCALE[count];
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int offsetHours = digits(s, i + 1, 2);
            int offsetMinutes = digits(s, i + 4, 2);
            if ((offsetHours | offsetMinutes) < 0 || offsetHours > 17 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        long epochSecond = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
