package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.gaps.BackfillSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import java.net.URI;
import java.time.Duration;

/**
 * The keys of gap repair, at the end of the "Reliability" group: whether gaps of channel.activities and
 * channel.tips are repaired from StreamElements' REST API, where that API is, and how far a repair reaches.
 * docs/delivery-guarantees.md tells what is repaired and what is not.
 */
final class AstroBackfillConfig {

    static final String ENABLED_CONFIG = "astro.backfill.enabled";
    private static final String ENABLED_DOC = "Whether gaps of channel.activities and channel.tips pairs are "
            + "repaired: after each gap (the pair not subscribed on a healthy connection, or a restart), the "
            + "channel's activities or tips created in the gap are read from the REST API (astro.rest.url, with "
            + "astro.token) and those not already written are written, oldest first, with header "
            + "astro.source=rest. Other topics have no REST history: their gaps are only measured. See "
            + "docs/delivery-guarantees.md.";

    static final String REST_URL_CONFIG = "astro.rest.url";
    static final String REST_URL_DEFAULT = "https://api.streamelements.com/kappa/v2";
    private static final String REST_URL_DOC = "The base address of StreamElements' REST API (v2), which gap "
            + "repair reads GET <url>/activities/<channel> and GET <url>/tips/<channel> from. https://, or http:// "
            + "for a loopback host only (a local emulator), since the token is sent with every request.";

    static final String MARGIN_CONFIG = "astro.backfill.margin.ms";
    static final long MARGIN_DEFAULT = 30_000L;
    private static final String MARGIN_DOC = "How far a repair's window reaches before the start and after the "
            + "end of a gap, in milliseconds: covers a connection that was half-open before it was noticed, a tip "
            + "created some seconds before the gateway pushed it, and clocks that differ. A repair starts once its "
            + "window's end has passed, so a larger margin repairs later. What the wider window finds that was "
            + "written already is dropped by event id.";

    static final String MAX_AGE_CONFIG = "astro.backfill.max.age.ms";
    static final long MAX_AGE_DEFAULT = 86_400_000L;
    private static final String MAX_AGE_DOC = "The oldest a repair reaches back, in milliseconds (24 hours by "
            + "default): a gap that began earlier, e.g. a connector stopped for days, is repaired only from then on; "
            + "the rest is logged at WARN and counted in RepairSkippedSeconds and UnrepairedGaps.";

    static final String MAX_RECORDS_CONFIG = "astro.backfill.max.records";
    static final int MAX_RECORDS_DEFAULT = 10_000;
    private static final String MAX_RECORDS_DOC = "The most events one gap's repair keeps from its window, those "
            + "already written live within the margins included: when the window holds more, the oldest are kept "
            + "(and written unless already written) and the rest are logged at WARN and counted in "
            + "RepairSkippedRecords and UnrepairedGaps. Bounds the repair's memory (about 2 KB per event).";

    static final String REQUEST_INTERVAL_CONFIG = "astro.backfill.request.interval.ms";
    static final long REQUEST_INTERVAL_DEFAULT = 1_000L;
    private static final String REQUEST_INTERVAL_DOC = "The least time between two requests of a task to the REST "
            + "API, in milliseconds. StreamElements documents no REST rate limit; one request a second (100 events) "
            + "is gentle. 429 and 5xx answers are retried with growing, jittered delays, honouring Retry-After.";

    /** The share of buffer.max.records repaired events may hold while they wait for poll(). */
    private static final int QUEUE_SHARE = 10;

    private AstroBackfillConfig() {
    }

    /** Adds the keys to a group, after the group's other keys. */
    static void addTo(ConfigDef def, String group, int order) {
        def.define(ENABLED_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, ENABLED_DOC, group, ++order, Width.SHORT,
                "Repair gaps");
        def.define(REST_URL_CONFIG, Type.STRING, REST_URL_DEFAULT, REST_URL, Importance.LOW, REST_URL_DOC, group,
                ++order, Width.LONG, "REST API URL");
        def.define(MARGIN_CONFIG, Type.LONG, MARGIN_DEFAULT, Range.between(0L, 3_600_000L), Importance.LOW,
                MARGIN_DOC, group, ++order, Width.SHORT, "Repair margin (ms)");
        def.define(MAX_AGE_CONFIG, Type.LONG, MAX_AGE_DEFAULT, Range.between(1_000L, 90L * 86_400_000L),
                Importance.LOW, MAX_AGE_DOC, group, ++order, Width.SHORT, "Repair max age (ms)");
        def.define(MAX_RECORDS_CONFIG, Type.INT, MAX_RECORDS_DEFAULT, Range.between(1, 1_000_000), Importance.LOW,
                MAX_RECORDS_DOC, group, ++order, Width.SHORT, "Repair max records per gap");
        def.define(REQUEST_INTERVAL_CONFIG, Type.LONG, REQUEST_INTERVAL_DEFAULT, Range.between(0L, 600_000L),
                Importance.LOW, REQUEST_INTERVAL_DOC, group, ++order, Width.SHORT, "REST request interval (ms)");
    }

    /** What gap repair needs, from a parsed configuration. */
    static BackfillSettings settings(AstroSourceConnectorConfig config) {
        return new BackfillSettings(config.getBoolean(ENABLED_CONFIG),
                URI.create(config.getString(REST_URL_CONFIG).trim()),
                config::token, config.tokenType(),
                Duration.ofMillis(config.getLong(MARGIN_CONFIG)),
                Duration.ofMillis(config.getLong(MAX_AGE_CONFIG)),
                config.getInt(MAX_RECORDS_CONFIG),
                Duration.ofMillis(config.getLong(REQUEST_INTERVAL_CONFIG)),
                Math.max(100, config.bufferMaxRecords() / QUEUE_SHARE));
    }

    static final ConfigDef.Validator REST_URL = new Validators.Named("an https:// URL (http:// for a loopback host)") {
        @Override
        public void ensureValid(String name, Object value) {
            String text = value == null ? "" : value.toString().trim();
            URI uri = Validators.parseUrl(name, text, REST_URL_DEFAULT);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new ConfigException(name, text, "the URL has no host; expected e.g. " + REST_URL_DEFAULT);
            }
            if (uri.getUserInfo() != null || uri.getRawQuery() != null) {
                throw new ConfigException(name, "[hidden]", "the URL must carry neither credentials nor a query; "
                        + "the token is astro.token");
            }
            boolean https = "https".equalsIgnoreCase(scheme);
            boolean http = "http".equalsIgnoreCase(scheme);
            if (!https && !(http && AstroSecurityConfig.isLoopback(uri.getHost()))) {
                throw new ConfigException(name, text, "the scheme must be https:// (http:// only for a loopback "
                        + "host), since the token goes with every request");
            }
        }
    };
}
