package io.github.kafkaconnectastro.gaps;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.util.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Pages through one repair window of the REST API into a {@link RepairCollector}, within the {@link RepairBounds}:
 * requests kept {@code astro.backfill.request.interval.ms} apart task-wide, 429, 5xx and no answer retried with
 * jittered, growing delays (honouring {@code Retry-After}) up to {@value #MAX_ATTEMPTS} tries per page, and at most
 * {@link RepairBounds#maxPages()} pages. One reader serves all of a task's repairs, one window at a time.
 */
final class WindowReader {

    private static final Logger log = LoggerFactory.getLogger(WindowReader.class);
    static final int MAX_ATTEMPTS = 6;
    private static final long RETRY_INITIAL_MS = 1_000;
    private static final long RETRY_MAX_MS = 30_000;
    private static final long RETRY_AFTER_CAP_MS = 60_000;

    private final RestClient client;
    private final GapListener listener;
    private final LongSupplier clock;
    private final Duration requestInterval;
    private final int maxPages;
    private final BooleanSupplier stopping;
    private long lastRequestMs = Long.MIN_VALUE / 2;

    WindowReader(RestClient client, GapListener listener, LongSupplier clock, Duration requestInterval, int maxPages,
                 BooleanSupplier stopping) {
        this.client = client;
        this.listener = listener;
        this.clock = clock;
        this.requestInterval = requestInterval;
        this.maxPages = maxPages;
        this.stopping = stopping;
    }

    /**
     * Reads the documents created from {@code fromMs} to {@code toMs}; null when done (or stopping), the failure
     * when the API could not be read to the end or went beyond the bounds ({@link RestFailure#runaway()}).
     */
    RestFailure read(Subscription subscription, RestEndpoint endpoint, String channel, long fromMs, long toMs,
                     RepairCollector collector) throws InterruptedException {
        Backoff retries = new Backoff(RETRY_INITIAL_MS, RETRY_MAX_MS, 2.0,
                () -> ThreadLocalRandom.current().nextDouble());
        String path = endpoint.path(channel);
        int offset = 0;
        int attempts = 0;
        int pages = 0;
        while (!stopping.getAsBoolean()) {
            pace();
            listener.restRequest();
            JsonNode body;
            try {
                body = client.get(path, endpoint.query(fromMs, toMs, offset));
            } catch (RestFailure f) {
                listener.restError(f.metricKey());
                attempts++;
                if (!f.retryable() || attempts >= MAX_ATTEMPTS) {
                    return f;
                }
                long delay = Math.max(retries.nextDelayMs(), Math.min(f.retryAfterMs(), RETRY_AFTER_CAP_MS));
                log.info("The REST API answered {} to the repair of {}; trying again in {} ms (try {} of {})",
                        f.metricKey(), subscription, delay, attempts + 1, MAX_ATTEMPTS);
                TimeUnit.MILLISECONDS.sleep(delay);
                continue;
            }
            attempts = 0;
            retries.reset();
            pages++;
            RestEndpoint.Page page = endpoint.page(body, offset);
            int added = collector.addAll(page.docs());
            offset += page.docs().size();
            if (collector.overflowed()) {
                return counted(RestFailure.runaway(RunawayCause.IDS, "GET " + path + " sent more distinct ids "
                        + "than one window's repair reads (" + pages + " pages)"));
            }
            // A page of nothing new means the API ignores offset: reading on would loop.
            if (page.last() || added == 0) {
                return null;
            }
            if (pages >= maxPages) {
                return counted(RestFailure.runaway(RunawayCause.PAGES, "GET " + path + " had more than "
                        + maxPages + " pages for one window: it seems to ignore after, before or offset"));
            }
        }
        return null;
    }

    /** A runaway found in answers that were each fine, counted as a failed answer is. */
    private RestFailure counted(RestFailure failure) {
        listener.restError(failure.metricKey());
        return failure;
    }

    /** Keeps requests at least astro.backfill.request.interval.ms apart, task-wide. */
    private void pace() throws InterruptedException {
        long wait = lastRequestMs + requestInterval.toMillis() - clock.getAsLong();
        if (wait > 0) {
            TimeUnit.MILLISECONDS.sleep(wait);
        }
        lastRequestMs = clock.getAsLong();
    }
}
