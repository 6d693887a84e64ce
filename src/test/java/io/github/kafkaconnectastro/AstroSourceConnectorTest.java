package io.github.kafkaconnectastro;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.config.ValidationErrors;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AstroSourceConnectorTest {

    private static final String SECRET = "s3cr3t-token-value";

    private static Map<String, String> config(String subscriptions) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "astro");
        props.put("astro.token", SECRET);
        props.put("astro.subscriptions", subscriptions);
        return props;
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return ValidationErrors.of(props);
    }

    @Test
    void validConfigHasNoErrors() {
        assertEquals(Map.of(), errors(config("channel.activities:5f2b0c1e9a1d,channel.tips")));
    }

    @Test
    void malformedPairNamesKeyAndEntry() {
        Map<String, List<String>> errors = errors(config("channel.activities:5f2b,channel.tips:"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get("astro.subscriptions").get(0).contains("'channel.tips:' has an empty room"),
                errors.toString());
    }

    @Test
    void duplicatePairIsAnError() {
        assertTrue(errors(config("channel.tips:a,channel.tips:a")).get("astro.subscriptions").get(0)
                .contains("more than once"));
    }

    @Test
    void emptyTokenIsAnErrorOnTheTokenKey() {
        Map<String, String> props = config("channel.tips:a");
        props.put("astro.token", " ");
        assertTrue(errors(props).get("astro.token").get(0).contains("astro.token is empty"));
    }

    @Test
    void badUrlAndTokenTypeNameTheirKeys() {
        Map<String, String> props = config("channel.tips:a");
        props.put("astro.url", "https://astro.streamelements.com");
        props.put("astro.token.type", "bearer");
        Map<String, List<String>> errors = errors(props);
        assertTrue(errors.get("astro.url").get(0).contains("scheme must be wss://"), errors.toString());
        assertTrue(errors.get("astro.token.type").get(0).contains("jwt, oauth2, apikey"), errors.toString());
    }

    @Test
    void validationMessagesNeverContainTheToken() {
        Map<String, String> props = config("channel.tips:a,channel.tips:a");
        props.put("astro.url", "wss://user:" + SECRET + "@astro.streamelements.com");
        props.put("astro.token.type", SECRET);
        Map<String, List<String>> errors = errors(props);
        assertEquals(3, errors.size(), errors.toString());
        assertFalse(errors.toString().contains(SECRET), errors.toString());
    }

    @Test
    void crossFieldProblemsAreReported() {
        Map<String, String> props = config("channel.tips:a,channel.tips:" + "r".repeat(240));
        props.put("reconnect.backoff.initial.ms", "5000");
        props.put("reconnect.backoff.max.ms", "1000");
        props.put("topic.name.pattern", "astro.${topic}.${room}");
        Map<String, List<String>> errors = errors(props);
        assertTrue(errors.get("reconnect.backoff.initial.ms").get(0).contains("larger than reconnect.backoff.max.ms"),
                errors.toString());
        assertTrue(errors.get("topic.name.pattern").get(0).contains("Kafka allows at most 249"), errors.toString());
    }

    @Test
    void zeroInitialBackoffIsRefusedNamingTheKey() {
        Map<String, String> props = config("channel.tips:a");
        props.put("reconnect.backoff.initial.ms", "0");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("reconnect.backoff.initial.ms"), List.copyOf(errors.keySet()), errors.toString());
        assertTrue(errors.get("reconnect.backoff.initial.ms").get(0).contains("reconnect.backoff.initial.ms"),
                errors.toString());
    }

    @Test
    void zeroMaxBackoffIsRefusedAsBelowTheInitialDelay() {
        Map<String, String> props = config("channel.tips:a");
        props.put("reconnect.backoff.max.ms", "0");
        Map<String, List<String>> errors = errors(props);
        assertEquals(List.of("reconnect.backoff.initial.ms=1000 is larger than reconnect.backoff.max.ms=0"),
                errors.get("reconnect.backoff.initial.ms"), errors.toString());
    }

    @Test
    void splitsPairsEvenlyAndDeterministically() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            pairs.add("channel.activities:room" + i);
        }
        AstroSourceConnector connector = new AstroSourceConnector();
        connector.start(config(String.join(",", pairs)));
        List<Map<String, String>> tasks = connector.taskConfigs(3);
        assertEquals(3, tasks.size());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            List<String> share = Arrays.asList(tasks.get(i).get("astro.subscriptions").split(","));
            assertTrue(share.size() == 2 || share.size() == 3, share.toString());
            assertEquals(Integer.toString(i), tasks.get(i).get("astro.task.id"));
            seen.addAll(share);
        }
        assertEquals(pairs, seen.stream().sorted().collect(Collectors.toList()));
        assertEquals(tasks, connector.taskConfigs(3));
    }

    @Test
    void neverStartsMoreTasksThanPairs() {
        AstroSourceConnector connector = new AstroSourceConnector();
        connector.start(config("channel.tips:a,channel.tips:b"));
        assertEquals(2, connector.taskConfigs(8).size());
    }

    @Test
    void theFormerNameOfTheSubscriptionErrorPolicyIsStillReadUnlessTheNewOneIsSet() {
        Map<String, String> props = config("channel.tips:a");
        props.put("errors.subscription.policy", "skip");
        assertEquals(io.github.kafkaconnectastro.subscribe.SubscriptionErrorPolicy.SKIP,
                new AstroSourceConnectorConfig(props).subscriptionErrorPolicy());
        props.put("astro.subscription.error.policy", "fail");
        assertEquals(io.github.kafkaconnectastro.subscribe.SubscriptionErrorPolicy.FAIL,
                new AstroSourceConnectorConfig(props).subscriptionErrorPolicy());
        props.remove("errors.subscription.policy");
        props.put("astro.subscription.error.policy", "skip");
        assertEquals(io.github.kafkaconnectastro.subscribe.SubscriptionErrorPolicy.SKIP,
                new AstroSourceConnectorConfig(props).sessionSettings().subscriptionErrorPolicy());
    }

    @Test
    void alterOffsetsRefusesAnIdThatIsNotAUlidNamingThePairAndWhatAValidIdLooksLike() {
        Map<String, ?> partition = Map.of("topic", "channel.tips", "room", "5f2b");
        ConnectException e = assertThrows(ConnectException.class, () -> new AstroSourceConnector()
                .alterOffsets(Map.of(), Map.of(partition, Map.of("id", "01X", "ts", "2026-03-19T12:00:00Z"))));
        assertTrue(e.getMessage().startsWith("Cannot alter offsets: ")
                && e.getMessage().contains("channel.tips:5f2b") && e.getMessage().contains("'01X'")
                && e.getMessage().contains("Crockford base32") && e.getMessage().contains("01J5Z3K2V7W8X9Y0Z1A2B3C4D5"),
                e.getMessage());
        for (String notUlid : List.of("01J5Z3K2V7W8X9Y0Z1A2B3C4DU", "81J5Z3K2V7W8X9Y0Z1A2B3C4D5", "ZZZ")) {
            assertThrows(ConnectException.class, () -> new AstroSourceConnector()
                    .alterOffsets(Map.of(), Map.of(partition, Map.of("id", notUlid))), notUlid);
        }
    }

    @Test
    void alterOffsetsAcceptsUlidsInEitherCaseAndResets() {
        Map<String, ?> partition = Map.of("topic", "channel.tips", "room", "");
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>();
        offsets.put(partition, Map.of("id", "01j5z3k2v7w8x9y0z1a2b3c4d5"));
        assertTrue(new AstroSourceConnector().alterOffsets(Map.of(), offsets));
        offsets.put(partition, null);
        assertTrue(new AstroSourceConnector().alterOffsets(Map.of(), offsets));
    }
}
