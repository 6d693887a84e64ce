package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kafkaconnectastro.auth.ExpiryWarnings;
import io.github.kafkaconnectastro.auth.OAuth2Client;
import io.github.kafkaconnectastro.emulator.OAuth2Endpoint;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokens over time on real workers: OAuth2 access tokens that live 12 s are refreshed by task 0 and read by task 1
 * through a task restart and the loss of task 0's worker, with nothing lost or written twice and no task ever
 * FAILED; a refresh token already used fails the task with a reason to act on; a JWT near its end shows in the
 * metric and the log.
 */
class TokenLifecycleIT {

    private static final String TOPIC = "channel.activities";
    private static final Duration AWAIT = Duration.ofSeconds(90);
    private static final String CLIENT_ID = "it-client";
    private static final String CLIENT_SECRET = "it-client-secret-5d1e";

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(3)
            .workerProperties(Map.of("scheduled.rebalance.max.delay.ms", "3000"))
            .topicPerConnector()
            .connectorDefaults(Map.of("astro.welcome.timeout.ms", "1000"));

    private OAuth2Endpoint endpoint;
    /** The room each published id went to. */
    private final Map<String, String> roomOf = new ConcurrentHashMap<>();

    @BeforeEach
    void startEndpoint() {
        endpoint = OAuth2Endpoint.start(fixture.emulator, CLIENT_ID, CLIENT_SECRET, ConnectFixture.OWN_ROOM);
        // Refreshed half-way: every 6 s, leaving 6 s for the other task to read the new token from the offsets
        // (flushed every second, read every second) and for a task to move when its worker is lost.
        endpoint.setAccessTokenLifetime(Duration.ofSeconds(12));
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.close();
    }

    private Map<String, String> oauth2(String refreshToken) {
        Map<String, String> props = new HashMap<>();
        props.put("astro.token", null);
        props.put("astro.oauth2.client.id", CLIENT_ID);
        props.put("astro.oauth2.client.secret", CLIENT_SECRET);
        props.put("astro.oauth2.refresh.token", refreshToken);
        props.put("astro.oauth2.token.url", endpoint.tokenUrl().toString());
        return props;
    }

    @Test
    void refreshesFiveTimesThroughATaskRestartAndAWorkerLossLosingAndDuplicatingNothing() throws Exception {
        String connector = "it-oauth2";
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "oauth1", "oauth2");
        FailureWatch watch = new FailureWatch(fixture, connector);
        fixture.startConnector(connector, 2, pairs, oauth2(endpoint.issueRefreshToken()));
        List<String> ids = new ArrayList<>();
        try {
            // The first refresh is task 0's start; five more happen while the test publishes.
            ids.addAll(publishUntilRefreshes(pairs, 3));
            awaitWrittenAndCommitted(connector, ids);

            int handshakes = fixture.emulator.handshakeCount();
            fixture.connect.restartConnectorAndTasks(connector, false, true, false);
            fixture.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 2, "not restarted");
            fixture.awaitResubscribed(handshakes, 2, pairs);
            ids.addAll(publishUntilRefreshes(pairs, 5));
            awaitWrittenAndCommitted(connector, ids);

            String lost = taskZeroWorker(connector);
            handshakes = fixture.emulator.handshakeCount();
            fixture.connect.removeWorker(fixture.worker(lost));
            assertTrue(ConnectFixture.eventually(() -> running(connector) == 2 && !lost.equals(taskZeroWorker(
                    connector)), AWAIT), "task 0 did not move to another worker");
            fixture.awaitResubscribed(handshakes, 2, pairs);
            ids.addAll(publishUntilRefreshes(pairs, 6));

            DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(ids.size() / 2);
            assertEquals(0, endpoint.refusalCount(), "a used refresh token was presented again");
            assertEquals(Set.of(), watch.failedStates(), "a task or the connector was FAILED");
            String kept = keptBlob(connector);
            assertTrue(kept.startsWith("v1."), kept);
            for (String live : endpoint.liveRefreshTokens()) {
                assertFalse(kept.contains(live), "the refresh token is in the offsets in clear");
            }
        } finally {
            watch.close();
        }
    }

    @Test
    void aRefreshTokenAlreadyUsedFailsTheTaskSayingWhatToDo() throws Exception {
        String used = endpoint.issueRefreshToken();
        new OAuth2Client(endpoint.tokenUrl(), CLIENT_ID, new Password(CLIENT_SECRET), Duration.ofSeconds(5),
                Clock.systemUTC()).refresh(new Password(used));
        String connector = "it-used-refresh";
        fixture.configureConnector(connector, ConnectFixture.pairs(TOPIC, "used1"), oauth2(used));
        fixture.connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(connector, 1, "task did not fail");

        String trace = fixture.status(connector).tasks().get(0).trace();
        assertTrue(trace.contains("invalid_grant") && trace.contains("used already")
                && trace.contains("set astro.oauth2.refresh.token"), trace);
        assertFalse(trace.contains(used) || trace.contains(CLIENT_SECRET), "a secret in the trace");
    }

    @Test
    void aJwtNearItsExpiryShowsInTheMetricAndTheLog() throws Exception {
        Instant expiry = Instant.now().plus(Duration.ofDays(2));
        String jwt = fixture.emulator.issueJwt(ConnectFixture.OWN_ROOM, expiry);
        String connector = "it-jwt-expiring";
        List<LogCapture.Line> lines;
        try (LogCapture capture = LogCapture.of(Map.of(ExpiryWarnings.class.getName(), Level.WARN))) {
            fixture.startConnector(connector, ConnectFixture.pairs(TOPIC, "jwt1"), Map.of("astro.token", jwt));
            assertTrue(ConnectFixture.eventually(() -> !capture.lines().isEmpty(), AWAIT), "no warning logged");
            lines = capture.lines();
        }
        long left = new TaskMetricsProbe(connector, 0).number("TokenSecondsLeft");
        long expected = Duration.between(Instant.now(), expiry).getSeconds();
        assertTrue(left <= expected + 1 && left > expected - 120, left + " s left, expected about " + expected);
        String warning = lines.get(0).text();
        assertTrue(warning.contains("astro.token expires at " + Instant.ofEpochSecond(expiry.getEpochSecond()))
                && warning.contains("in 1 days"), warning);
        assertFalse(lines.stream().anyMatch(line -> line.text().contains(jwt)), "the token was logged");
    }

    /** The encrypted blob in the connector's offsets, read through the REST API as an operator would. */
    private static String keptBlob(String connector) {
        ConnectFixture.RestResponse response = fixture.rest("GET", "connectors/" + connector + "/offsets", null);
        assertEquals(200, response.status(), response.body());
        for (JsonNode entry : response.json().get("offsets")) {
            if ("oauth2".equals(entry.path("partition").path("credential").asText())) {
                return entry.path("offset").path("blob").asText();
            }
        }
        throw new AssertionError("no credential partition in " + response.body());
    }

    /** Publishes to every pair until the endpoint has answered {@code refreshes} refreshes in all; the ids. */
    private List<String> publishUntilRefreshes(List<String[]> pairs, int refreshes) {
        Publisher publisher = Publisher.start(fixture.emulator, pairs, 20);
        try {
            assertTrue(ConnectFixture.eventually(() -> endpoint.refreshCount() >= refreshes, AWAIT),
                    "only " + endpoint.refreshCount() + " refreshes");
            // Long enough after the last refresh for its make-before-break to be over, with notifications throughout.
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> ids = publisher.stop();
        roomOf.putAll(ConnectFixture.roomsRoundRobin(pairs, ids));
        return ids;
    }

    /**
     * Everything delivered so far is in Kafka once, and its offsets are committed: each pair's committed offset
     * (read through the REST API) is its highest id delivered. A flush commits everything its task wrote before,
     * the refreshed credentials too, so that a restart starts from the newest refresh token.
     */
    private void awaitWrittenAndCommitted(String connector, List<String> ids) throws InterruptedException {
        DeliveryTally.await(fixture, connector, ids, AWAIT).assertNoLossNoDuplicates(1);
        fixture.awaitCommitted(connector, ids, roomOf);
    }

    private static int running(String connector) {
        try {
            return (int) fixture.status(connector).tasks().stream().filter(t -> "RUNNING".equals(t.state())).count();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The worker id ({@code host:port}) task 0 runs on, or null. */
    private static String taskZeroWorker(String connector) {
        try {
            for (ConnectorStateInfo.TaskState task : fixture.status(connector).tasks()) {
                if (task.id() == 0 && "RUNNING".equals(task.state())) {
                    return task.workerId();
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }
}
