package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.subscribe.SubscriptionErrorPolicy;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.time.Duration;

/**
 * The "Reliability" group: what a refused subscription does, reconnect backoff, deduplication, and (from
 * {@link AstroBackfillConfig}) gap repair.
 */
public final class AstroReliabilityConfig {

    public static final Key<SubscriptionErrorPolicy> SUBSCRIPTION_ERROR_POLICY =
            Key.string("astro.subscription.error.policy").as(SubscriptionErrorPolicy::parse)
            .withDefault("fail").withValidator(Validators.SUBSCRIPTION_ERROR_POLICY)
            .withImportance(Importance.MEDIUM).withDisplay(Width.SHORT, "Subscription error policy")
            .withDoc("What a task does when the gateway refuses a subscription permanently (err_unauthorized: bad "
                    + "token or missing scope; err_bad_request: unknown topic, bad room or too many subscriptions). "
                    + "fail: the task fails, its status names the pair and the code. skip: the refusal is logged "
                    + "once, the pair shows as FAILED in the metrics, the others go on. Formerly "
                    + "errors.subscription.policy, which is still read, with a warning, when this key is not set.");

    /** The name of {@link #SUBSCRIPTION_ERROR_POLICY} before 0.2; Connect owns the errors.* keys. */
    public static final String DEPRECATED_SUBSCRIPTION_ERROR_POLICY = "errors.subscription.policy";

    public static final Key<Duration> BACKOFF_INITIAL = Key.millis("reconnect.backoff.initial.ms")
            .withDefault(1_000L).withValidator(Range.between(1L, 3_600_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Initial reconnect backoff (ms)")
            .withDoc("The first reconnect delay ceiling, in milliseconds. Each delay is random between zero and the "
                    + "ceiling (full jitter); the ceiling grows by reconnect.backoff.multiplier up to "
                    + "reconnect.backoff.max.ms, and is never more than a quarter of the time since the last healthy "
                    + "connection (nor less than this), so that the first attempt after an outage comes soon after "
                    + "it ends. A handshake refused with HTTP 429 waits its Retry-After plus such a "
                    + "delay. Also the base for retrying a subscribe the gateway failed temporarily.");

    public static final Key<Duration> BACKOFF_MAX = Key.millis("reconnect.backoff.max.ms")
            .withDefault(30_000L).withValidator(Range.between(0L, 3_600_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Max reconnect backoff (ms)")
            .withDoc("The largest reconnect delay ceiling, in milliseconds. A connection that stayed up at least "
                    + "this long counts as healthy and resets the backoff.");

    public static final Key<Duration> RETRY_AFTER_MAX = Key.millis("reconnect.retry.after.max.ms")
            .withDefault(300_000L).withValidator(Range.between(0L, 86_400_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Max Retry-After (ms)")
            .withDoc("The longest a handshake refusal's Retry-After is obeyed, in milliseconds; a longer (or "
                    + "unreadable) one counts as this long, so that a gateway cannot park a task for days.");

    public static final Key<Double> BACKOFF_MULTIPLIER = Key.doubleValue("reconnect.backoff.multiplier")
            .withDefault(2.0).withValidator(Range.between(1.0, 10.0))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Reconnect backoff multiplier")
            .withDoc("How much the reconnect delay ceiling grows after each failed attempt.");

    /** Negative (-1) when a task keeps trying for ever. */
    public static final Key<Duration> RECONNECT_MAX_DURATION = Key.millis("reconnect.max.duration.ms")
            .withDefault(-1L).withValidator(Range.atLeast(-1L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Reconnect budget (ms)")
            .withDoc("How long a task may go without a healthy connection (one that stayed up "
                    + "reconnect.backoff.max.ms), in milliseconds, before it fails with the last connection problem "
                    + "as its reason. The task fails as soon as its next attempt would start after this, without "
                    + "waiting for it. -1 (default): it keeps trying for ever.");

    public static final Key<Integer> DEDUP_CACHE_SIZE = Key.intValue("dedup.cache.size")
            .withDefault(1_000).withValidator(Range.between(1, 1_000_000))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Dedup cache size")
            .withDoc("How many recent notification ids one (topic, room) pair remembers at most, to drop duplicates "
                    + "the gateway delivers again (e.g. around reconnects). A task with many pairs gives each its "
                    + "share of dedup.cache.task.size instead, when that is smaller. Memory: about 120 bytes per id.");

    public static final Key<Integer> DEDUP_CACHE_TASK_SIZE = Key.intValue("dedup.cache.task.size")
            .withDefault(100_000).withValidator(Range.between(1, 100_000_000))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Dedup cache size per task")
            .withDoc("How many recent notification ids one task remembers across all its pairs, so that memory "
                    + "stays bounded with many pairs: each pair remembers min(dedup.cache.size, max(64, this / the "
                    + "task's pairs)) ids. The floor of 64 per pair means a task with more than this / 64 pairs "
                    + "remembers 64 ids for each. Memory: about 120 bytes per id, so about 12 MB per task by "
                    + "default, plus about 1 KB per busy pair.");

    public static final Key<Duration> DEDUP_CLOCK_SKEW = Key.millis("dedup.clock.skew.ms")
            .withDefault(5_000L).withValidator(Range.between(0L, 3_600_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Dedup clock skew (ms)")
            .withDoc("After a restart, notifications whose ULID time is older than the committed offset's by more "
                    + "than this are dropped as already written; within it, only the ids the offset remembers (its "
                    + "id and recent ids) are. Allows for clock differences between the gateway's nodes, in "
                    + "milliseconds.");

    static final KeyGroup GROUP = new KeyGroup("Reliability", SUBSCRIPTION_ERROR_POLICY, BACKOFF_INITIAL,
            BACKOFF_MAX, RETRY_AFTER_MAX, BACKOFF_MULTIPLIER, RECONNECT_MAX_DURATION, DEDUP_CACHE_SIZE,
            DEDUP_CACHE_TASK_SIZE, DEDUP_CLOCK_SKEW,
            AstroBackfillConfig.ENABLED, AstroBackfillConfig.REST_URL, AstroBackfillConfig.MARGIN,
            AstroBackfillConfig.MAX_AGE, AstroBackfillConfig.MAX_RECORDS, AstroBackfillConfig.REQUEST_INTERVAL);

    private AstroReliabilityConfig() {
    }
}
