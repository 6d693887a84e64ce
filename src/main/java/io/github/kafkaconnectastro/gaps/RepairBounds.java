package io.github.kafkaconnectastro.gaps;

import java.time.Duration;

/**
 * How much one repair may read from the REST API, so that an endpoint that ignores {@code after}, {@code before} or
 * {@code offset}, sends fresh ids without end, or trickles its body cannot hold the repair thread, or fill the
 * task's memory, for ever. A repair that reaches a bound stops, is logged at WARN and counted
 * ({@code RunawayRepairs}); the other pairs' repairs go on.
 *
 * @param maxPages         the most pages read for one window
 * @param maxSeenIds       the most distinct document ids one window's repair remembers
 * @param maxResponseBytes the most bytes of one answer's body
 * @param readTimeout      how long one request may take, from sending it to its body's last byte
 */
record RepairBounds(int maxPages, int maxSeenIds, int maxResponseBytes, Duration readTimeout) {

    /**
     * How many times {@code astro.backfill.max.records} a window may read: a window holding that many events is
     * read to its end to find its oldest ones (the activities endpoint's order is not stated), while an endpoint
     * paging without end is stopped after a few times the memory the repair is allowed anyway.
     */
    private static final int READ_FACTOR = 4;
    /** Enough pages for a small max.records and a few documents outside the window. */
    private static final int MIN_PAGES = 10;
    /** A page of 100 documents is a few hundred KB; one far larger is not a page. */
    static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** The bounds for a repair that keeps up to {@code maxRecords} events of a window. */
    static RepairBounds of(int maxRecords) {
        long pages = Math.max(MIN_PAGES, READ_FACTOR * ((maxRecords + (long) RestEndpoint.PAGE_SIZE - 1)
                / RestEndpoint.PAGE_SIZE));
        int maxPages = (int) Math.min(Integer.MAX_VALUE / RestEndpoint.PAGE_SIZE, pages);
        return new RepairBounds(maxPages, maxPages * RestEndpoint.PAGE_SIZE, MAX_RESPONSE_BYTES, READ_TIMEOUT);
    }
}
