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
import java.util.concurrent.atomic.AtomicLong;

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
    /** How long the endpoint takes to answer a refresh when slow: within Connect's 5 s graceful stop. */
    private static final Duration SLOW_ANSWER = Duration.ofMillis(2500);

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

    /**
     * A rotated refresh token is never lost (issue 20, item 1). Access tokens live 10 s, so task 0 refreshes every
     * 5 s; the endpoint answers 2.5 s after it has used up the refresh token presented. (1) Task 0 is restarted
     * while a refresh waits for its answer: Connect lets that {@code poll()} end and commits the record it returned
     * before the task stops, and the next task 0 refreshes from the refresh token it kept. (2) Task 0's worker
     * leaves while a refresh waits for its answer: the same, across a rebalance. (3) The connector is paused across
     * a due refresh, which does not happen, and task 0's worker is replaced meanwhile; after the resume the new
     * task 0 refreshes at once. The endpoint refuses a refresh token used before: no refusal means that none was
     * presented twice. No task is ever FAILED, and records flow after each.
     */
    @Test
    void aStopOrARebalanceDuringASlowRefreshAndAPauseAcrossOneLoseNoRefreshToken() throws Exception {
        endpoint.setAccessTokenLifetime(Duration.ofSeconds(10));
        String connector = "it-oauth2-rotation";
        List<String[]> pairs = ConnectFixture.pairs(TOPIC, "rot1");
        FailureWatch watch = new FailureWatch(fixture, connector);
        try {
            fixture.startConnector(connector, 1, pairs, oauth2(endpoint.issueRefreshToken()));
            endpoint.setAnswerDelay(SLOW_ANSWER);

            // (1) A stop while the token endpoint is slow to answer: the endpoint has spent the refresh token.
            awaitRefreshInFlight(1);
            int spent = endpoint.refreshCount();
            int handshakes = fixture.emulator.handshakeCount();
            long restartMs = millis(() -> assertEquals(204,
                    fixture.rest("POST", "connectors/" + connector + "/tasks/0/restart", null).status()));
            awaitTaskZero(connector, "RUNNING", null);
            fixture.awaitResubscribed(handshakes, 1, pairs);
            // The next task 0's first refresh presents the refresh token that the restarted one rotated.
            awaitRefreshInFlight(spent);
            assertEquals(spent + 1, endpoint.refreshCount(), "the refresh after the restart");
            assertEquals(0, endpoint.refusalCount(), "the refresh token rotated at the stop was lost");

            // (2) A rebalance (task 0's worker leaves, another joins) while the endpoint is slow to answer.
            String left = taskZero(connector).workerId();
            handshakes = fixture.emulator.handshakeCount();
            long removeMs = millis(() -> fixture.connect.removeWorker(fixture.worker(left)));
            fixture.connect.addWorker();
            endpoint.setAnswerDelay(Duration.ZERO);
            awaitTaskZero(connector, "RUNNING", left);
            fixture.awaitResubscribed(handshakes, 1, pairs);
            awaitRefreshes(spent + 2);
            long lastRefresh = System.nanoTime();
            assertEquals(0, endpoint.refusalCount(), "the refresh token rotated at the rebalance was lost");
            DeliveryTally.assertDeliversOneMorePerPair(fixture, connector, pairs, AWAIT);

            // (3) Paused across a due refresh, task 0's worker replaced meanwhile, then resumed.
            fixture.connect.pauseConnector(connector);
            fixture.connect.assertions().assertConnectorAndExactlyNumTasksArePaused(connector, 1, "not paused");
            int paused = endpoint.refreshCount();
            String replaced = taskZero(connector).workerId();
            fixture.connect.removeWorker(fixture.worker(replaced));
            fixture.connect.addWorker();
            awaitTaskZero(connector, "PAUSED", replaced);
            // Past the time the next refresh fell due (5 s after the last one), with a margin.
            Thread.sleep(Math.max(0, 6500 - (System.nanoTime() - lastRefresh) / 1_000_000));
            assertEquals(paused, endpoint.refreshCount(), "a paused task 0 refreshed");
            handshakes = fixture.emulator.handshakeCount();
            fixture.connect.resumeConnector(connector);
            long resumeMs = millis(() -> awaitRefreshes(paused + 1));
            awaitTaskZero(connector, "RUNNING", null);
            fixture.awaitResubscribed(handshakes, 1, pairs);
            DeliveryTally.assertDeliversOneMorePerPair(fixture, connector, pairs, AWAIT);

            assertEquals(0, endpoint.refusalCount(), "a used refresh token was presented again");
            assertEquals(Set.of(), watch.failedStates(), "a task or the connector was FAILED");
            System.out.printf("Rotation edges: task restart during a %d ms refresh answer took %d ms, worker "
                    + "removal %d ms; first refresh %d ms after the resume%n", SLOW_ANSWER.toMillis(), restartMs,
                    removeMs, resumeMs);
        } finally {
            endpoint.setAnswerDelay(Duration.ZERO);
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
        // Read once the task's MBean is there: a rebalance may restart the task right after it started (the class's
        // other tests add and remove workers), which unregisters it for a moment.
        TaskMetricsProbe probe = new TaskMetricsProbe(connector, 0);
        AtomicLong read = new AtomicLong(-1);
        assertTrue(ConnectFixture.eventually(() -> {
            try {
                read.set(probe.number("TokenSecondsLeft"));
                return true;
            } catch (AssertionError e) {
                return false;
            }
        }, AWAIT), "no task metrics");
        long left = read.get();
        long expected = Duration.between(Instant.now(), expiry).getSeconds();
        assertTrue(left <= expected + 1 && left > expected - 120, left + " s left, expected about " + expected);
        String warning = lines.get(0).text();
        assertTrue(warning.contains("astro.token expires at " + Instant.ofEpochSecond(expiry.getEpochSecond()))
                && warning.contains("in 1 days"), warning);
        assertFalse(lines.stream().anyMatch(line -> line.text().contains(jwt)), "the token was logged");
    }

    /**
     * Waits until the endpoint has a refresh after the first {@code before} in flight: it has spent the refresh
     * token presented and not yet answered.
     */
    private void awaitRefreshInFlight(int before) {
        assertTrue(ConnectFixture.eventually(() -> endpoint.inFlight() > 0 && endpoint.refreshCount() > before,
                AWAIT), "no refresh in flight after " + before + " within " + AWAIT);
    }

    private void awaitRefreshes(int count) {
        assertTrue(ConnectFixture.eventually(() -> endpoint.refreshCount() >= count, AWAIT),
                "only " + endpoint.refreshCount() + " refreshes, expected " + count);
    }

    /** Waits until task 0 is in {@code state} on another worker than {@code notOn} (any worker when null). */
    private static void awaitTaskZero(String connector, String state, String notOn) {
        assertTrue(ConnectFixture.eventually(() -> {
            ConnectorStateInfo.TaskState task = taskZero(connector);
            return task != null && state.equals(task.state()) && !task.workerId().equals(notOn);
        }, AWAIT), "task 0 not " + state + (notOn == null ? "" : " on another worker than " + notOn) + ": "
                + taskZero(connector));
    }

    /** Task 0's status, or null while there is none. */
    private static ConnectorStateInfo.TaskState taskZero(String connector) {
        try {
            return fixture.status(connector).tasks().stream().filter(t -> t.id() == 0).findFirst().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** How long {@code action} took, in milliseconds. */
    private static long millis(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
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
