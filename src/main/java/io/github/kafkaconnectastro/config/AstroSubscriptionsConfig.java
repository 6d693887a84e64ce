package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.time.Duration;
import java.util.List;

/** The "Subscriptions" group: the (topic, room) pairs to stream, and how fast they are subscribed. */
public final class AstroSubscriptionsConfig {

    public static final Key<List<Subscription>> SUBSCRIPTIONS = Key.list("astro.subscriptions")
            .as(Subscription::parseAll)
            .withValidator(Validators.SUBSCRIPTIONS)
            .withImportance(Importance.HIGH).withDisplay(Width.LONG, "Subscriptions")
            .withDoc("The (Astro topic, room) pairs to stream, comma-separated, each topic:room, e.g. "
                    + "channel.activities:5f2b0c1e9a1d. A topic alone subscribes to the token's own channel. Topics "
                    + "are free-form lowercase dotted names, so new Astro topics need no new connector release. A "
                    + "pair listed twice is an error. Pairs are spread evenly over tasks.max tasks.");

    public static final Key<Duration> SUBSCRIBE_TIMEOUT = Key.millis("astro.subscribe.timeout.ms")
            .withDefault(10_000L).withValidator(Range.between(100L, 600_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Subscribe timeout (ms)")
            .withDoc("How long to wait for the answer to a subscribe, in milliseconds, before sending it again "
                    + "(with backoff).");

    public static final Key<Integer> COMMAND_BURST = Key.intValue("astro.command.burst")
            .withDefault(50).withValidator(Range.between(1, 100))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Command burst")
            .withDoc("How many subscribe commands a task may send at once before pacing them at "
                    + "astro.command.interval.ms. The gateway allows bursts of about 100 per 10 s.");

    public static final Key<Duration> COMMAND_INTERVAL = Key.millis("astro.command.interval.ms")
            .withDefault(100L).withValidator(Range.between(1L, 60_000L))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Command interval (ms)")
            .withDoc("The pace of subscribe commands after the burst, in milliseconds per command. The gateway "
                    + "allows about one per 100 ms and answers faster commands with rate_limit_exceeded, after which "
                    + "the task pauses and retries.");

    public static final String COMMAND_LIMIT_SCOPE_ADDRESS = "address";
    public static final String COMMAND_LIMIT_SCOPE_CONNECTION = "connection";

    public static final Key<String> COMMAND_LIMIT_SCOPE = Key.string("astro.command.limit.scope")
            .withDefault(COMMAND_LIMIT_SCOPE_ADDRESS)
            .withValidator(ConfigDef.CaseInsensitiveValidString.in(COMMAND_LIMIT_SCOPE_ADDRESS,
                    COMMAND_LIMIT_SCOPE_CONNECTION))
            .withImportance(Importance.LOW).withDisplay(Width.SHORT, "Command limit scope")
            .withDoc("What the gateway's command rate limit is counted per, which its documents do not say. "
                    + "address (default): per client address, so the tasks of one worker share one pace "
                    + "(astro.command.burst, astro.command.interval.ms) per gateway host, whatever their connector. "
                    + "connection: each task paces its own connection, which subscribes many pairs faster when the "
                    + "gateway does count per connection, and draws rate_limit_exceeded answers when it does not. "
                    + "Either way, each rate_limit_exceeded halves the pace (to a tenth at most) and accepted "
                    + "commands win it back, so that workers under one limit they cannot see (per token) settle "
                    + "below it.");

    static final KeyGroup GROUP = new KeyGroup("Subscriptions", SUBSCRIPTIONS, SUBSCRIBE_TIMEOUT, COMMAND_BURST,
            COMMAND_INTERVAL, COMMAND_LIMIT_SCOPE);

    private AstroSubscriptionsConfig() {
    }
}
