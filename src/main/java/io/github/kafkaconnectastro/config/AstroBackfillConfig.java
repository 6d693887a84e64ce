package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.gaps.BackfillSettings;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.net.URI;
import java.time.Duration;

/**
 * The keys of gap repair, at the end of the "Reliability" group: whether gaps of channel.activities and
 * channel.tips are repaired from StreamElements' REST API, where that API is, and how far a repair reaches.
 * docs/delivery-guarantees.md tells what is repaired and what is not.
 */
public final class AstroBackfillConfig {

    public static final Key<Boolean> ENABLED = Key.bool("astro.backfill.enabled")
            .withDefault(true)
            .withImportance(Importance.MEDIUM).withDisplay(Width.SHORT, "Repair gaps")
            .withDoc("Whether gaps of channel.activities and channel.tips pairs are repaired: after each gap (the "
                    + "pair not subscribed on a healthy connection, or a restart), the channel's activities or tips "
                    + "created in the gap are read from the REST API (astro.rest.url, with astro.token) and those not "
                    + "already written are written, oldest first, with header astro.source=rest. Other topics have no "
                    + "REST history: their gaps are only measured. See docs/delivery-guarantees.md.");

    private static final String REST_URL_DEFAULT = "https://api.streamelements.com/kappa/v2";

    public static final Key<URI> REST_URL = Key.uri("astro.rest.url")
            .withDefault(REST_URL_DEFAULT)
            .withValidator(UrlValidator.httpsOrLoopback(REST_URL_DEFAULT, "; the token is astro.token"))
            .withImportance(Importance.LOW).withDisplay(Width.LONG, "REST API URL")
            .withDoc("The base address of StreamElements' REST API (v2), which gap repair reads GET "
                    + "<url>/activities/<channel> and GET <url>/tips/<channel> from. https://, or http:// for a "
                    + "loopback host only (a local emulator), since the token is sent with every request.");

    public static final Key<Duration> MARGIN = Key.millis("astro.backfill.margin.ms")
            .withDefault(30_000L).withValidator(Range.between(0L, 3_600_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Repair margin (ms)")
            .withDoc("How far a repair's window reaches before the start and after the end of a gap, in "
                    + "milliseconds: covers a connection that was half-open before it was noticed, a tip created some "
                    + "seconds before the gateway pushed it, and clocks that differ. A repair starts once its "
                    + "window's end has passed, so a larger margin repairs later. What the wider window finds that "
                    + "was written already is dropped by event id.");

    public static final Key<Duration> MAX_AGE = Key.millis("astro.backfill.max.age.ms")
            .withDefault(86_400_000L).withValidator(Range.between(1_000L, 90L * 86_400_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Repair max age (ms)")
            .withDoc("The oldest a repair reaches back, in milliseconds (24 hours by default): a gap that began "
                    + "earlier, e.g. a connector stopped for days, is repaired only from then on; the rest is logged "
                    + "at WARN and counted in RepairSkippedSeconds and UnrepairedGaps.");

    public static final Key<Integer> MAX_RECORDS = Key.intValue("astro.backfill.max.records")
            .withDefault(10_000).withValidator(Range.between(1, 1_000_000))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Repair max records per gap")
            .withDoc("The most events one gap's repair keeps from its window, those already written live within "
                    + "the margins included: when the window holds more, the oldest are kept (and written unless "
                    + "already written) and the rest are logged at WARN and counted in RepairSkippedRecords and "
                    + "UnrepairedGaps. Bounds the repair's memory (about 2 KB per event).");

    public static final Key<Duration> REQUEST_INTERVAL = Key.millis("astro.backfill.request.interval.ms")
            .withDefault(1_000L).withValidator(Range.between(0L, 600_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "REST request interval (ms)")
            .withDoc("The least time between two requests of a task to the REST API, in milliseconds. "
                    + "StreamElements documents no REST rate limit; one request a second (100 events) is gentle. 429 "
                    + "and 5xx answers are retried with growing, jittered delays, honouring Retry-After.");

    /** The share of buffer.max.records repaired events may hold while they wait for poll(). */
    private static final int QUEUE_SHARE = 10;

    private AstroBackfillConfig() {
    }

    /** What gap repair needs, from a parsed configuration. */
    static BackfillSettings settings(AstroSourceConnectorConfig config) {
        return new BackfillSettings(config.get(ENABLED), config.get(REST_URL), config::token, config.tokenType(),
                config.get(MARGIN), config.get(MAX_AGE), config.get(MAX_RECORDS), config.get(REQUEST_INTERVAL),
                Math.max(100, config.bufferMaxRecords() / QUEUE_SHARE));
    }
}
