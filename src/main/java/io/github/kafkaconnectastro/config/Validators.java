package io.github.kafkaconnectastro.config;

import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.records.TopicNamer;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.subscribe.SubscriptionErrorPolicy;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The connector's config validators. Each says in its message what is wrong and what is expected, and its
 * {@code toString()} is the "valid values" column of the generated reference. None ever repeats a secret.
 */
public final class Validators {

    private Validators() {
    }

    /** Problems that involve more than one key; empty when there are none. */
    public static Map<String, String> crossFieldProblems(Map<String, Object> parsed) {
        Map<String, String> problems = new LinkedHashMap<>();
        Duration initial = AstroReliabilityConfig.BACKOFF_INITIAL.read(parsed);
        Duration max = AstroReliabilityConfig.BACKOFF_MAX.read(parsed);
        if (initial != null && max != null && initial.compareTo(max) > 0) {
            problems.put(AstroReliabilityConfig.BACKOFF_INITIAL.name(), AstroReliabilityConfig.BACKOFF_INITIAL + "="
                    + initial.toMillis() + " is larger than " + AstroReliabilityConfig.BACKOFF_MAX + "="
                    + max.toMillis());
        }
        Object pattern = parsed.get(AstroOutputConfig.TOPIC_NAME_PATTERN.name());
        Object entries = parsed.get(AstroSubscriptionsConfig.SUBSCRIPTIONS.name());
        if (pattern instanceof String p && entries instanceof List<?> list) {
            for (Object entry : list) {
                Subscription s;
                try {
                    s = Subscription.parse(entry.toString());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                String problem = TopicNamer.problem(p, s.topic(), s.room().isEmpty() ? "own" : s.room());
                if (problem != null) {
                    problems.put(AstroOutputConfig.TOPIC_NAME_PATTERN.name(), "'" + p + "' " + problem);
                    break;
                }
            }
        }
        AstroSecurityConfig.problems(parsed).forEach(problems::putIfAbsent);
        AstroAuthConfig.problems(parsed, Instant.now()).forEach(problems::putIfAbsent);
        return problems;
    }

    static final ConfigDef.Validator NON_EMPTY_PASSWORD = new Named("a non-empty token, or not set") {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            String secret = value instanceof Password p ? p.value() : null;
            if (secret == null || secret.isBlank()) {
                throw new ConfigException(name + " is empty; set it to the token from the StreamElements dashboard "
                        + "(or a config provider reference such as ${file:/path:token})");
            }
        }
    };

    static final ConfigDef.Validator TOKEN_TYPE = new Named("[jwt, oauth2, apikey, oauth]") {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                TokenType.parse(value == null ? null : value.toString());
            } catch (IllegalArgumentException e) {
                // The value is not echoed: a token pasted into the wrong field must not reach the REST response.
                throw new ConfigException(name + " must be one of jwt, oauth2, apikey (or oauth)");
            }
        }
    };

    static final ConfigDef.Validator SUBSCRIPTION_ERROR_POLICY = new Named("[fail, skip]") {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                SubscriptionErrorPolicy.parse(value.toString());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ConfigException(name, value, "expected fail or skip");
            }
        }
    };

    static final ConfigDef.Validator SUBSCRIPTIONS = new Named("comma-separated topic:room pairs (or a topic alone)") {
        @Override
        public void ensureValid(String name, Object value) {
            List<?> entries = value instanceof List<?> list ? list : List.of();
            if (entries.stream().allMatch(e -> e.toString().isBlank())) {
                throw new ConfigException(name + " is empty; list at least one topic:room pair, e.g. "
                        + "channel.activities:5f2b0c1e9a1d");
            }
            try {
                Subscription.parseAll(entries.stream().map(Object::toString).toList());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + ": " + e.getMessage());
            }
        }
    };

    static final ConfigDef.Validator TOPIC_NAME_PATTERN = new Named("a topic name; ${topic} and ${room} are replaced") {
        @Override
        public void ensureValid(String name, Object value) {
            String pattern = value == null ? "" : value.toString();
            String problem = TopicNamer.problem(pattern, "channel.activities", "5f2b0c1e9a1d");
            if (problem != null) {
                throw new ConfigException(name, pattern, problem);
            }
        }
    };

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    static final ConfigDef.Validator KAFKA_TOPIC_NAME = new Named("a Kafka topic name: 1 to 249 of a-z A-Z 0-9 . _ -") {
        @Override
        public void ensureValid(String name, Object value) {
            String topic = value == null ? "" : value.toString();
            if (!LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new ConfigException(name, topic, "not a valid Kafka topic name: use 1 to 249 letters, digits, "
                        + "'.', '_' or '-', and not '.' or '..'");
            }
        }
    };

    /** A validator whose description is fixed text. */
    abstract static class Named implements ConfigDef.Validator {
        private final String description;

        Named(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
