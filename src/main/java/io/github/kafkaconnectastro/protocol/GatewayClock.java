package io.github.kafkaconnectastro.protocol;

/**
 * How far ahead of the task's clock a time stamped by the gateway ({@code ts}, {@code createdAt}, a ULID's time)
 * may lie and still be believed. A node with a wrong clock can stamp the year 9000: as a record's timestamp the
 * broker refuses it (it accepts at most {@code message.timestamp.after.max.ms}, one hour by default, ahead) and
 * Connect kills the task; remembered in an offset, it would make every later notification of the pair look older
 * than what was written. Past the bound, the time the task handled the notification stands in for it.
 *
 * <p>A constant, not a setting: five minutes is well under the broker's default hour, far above the seconds by
 * which the gateway's nodes differ, and no user has a reason to trust a clock further ahead than that.
 */
public final class GatewayClock {

    /** Times further ahead of the task's clock than this are not believed. */
    public static final long MAX_AHEAD_MS = 5 * 60_000L;

    private GatewayClock() {
    }

    /** True when {@code ms} lies further ahead of {@code nowMs} than {@link #MAX_AHEAD_MS}. */
    public static boolean ahead(long ms, long nowMs) {
        return ms > nowMs + MAX_AHEAD_MS;
    }

    /** {@code ms}, or {@code nowMs} when {@code ms} is {@linkplain #ahead ahead} of it. */
    public static long orNow(long ms, long nowMs) {
        return ahead(ms, nowMs) ? nowMs : ms;
    }

    /** True when {@code id} is a ULID whose time is ahead of the clock; false for any other id. */
    public static boolean idAhead(String id, long nowMs) {
        String ulid = Ulid.canonical(id);
        return ulid != null && ahead(Ulid.timestampMillis(ulid), nowMs);
    }
}
