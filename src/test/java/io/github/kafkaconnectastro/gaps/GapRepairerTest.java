package io.github.kafkaconnectastro.gaps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.emulator.ActivityGenerator;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.RestApiServer;
import io.github.kafkaconnectastro.metrics.AstroTaskMetrics;
import io.github.kafkaconnectastro.metrics.BufferGauges;
import io.github.kafkaconnectastro.offsets.UnrepairedWindows;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gap repair against the emulated REST API: what a gap's window holds is read back, paged, oldest first. */
class GapRepairerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "rest-token";
    private static final String CHANNEL = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final Subscription ACTIVITIES = Subscription.parse("channel.activities:" + CHANNEL);
    private static final Subscription TIPS = Subscription.parse("channel.tips:" + CHANNEL);
    private static final Subscription CHAT = Subscription.parse("channel.chat.message:" + CHANNEL);
    private static final Subscription OWN_TIPS = new Subscription("channel.tips", "");

    private final AstroEmulator emulator = AstroEmulator.start();
    private final RestApiServer rest = RestApiServer.start(emulator);
    private final ActivityGenerator generator = new ActivityGenerator(3);
    private final AstroTaskMetrics metrics = new AstroTaskMetrics(
            new BufferGauges(() -> 10, () -> 10_000, () -> 0, () -> 0), List.of(ACTIVITIES, TIPS, CHAT, OWN_TIPS));
    private GapRepairer repairer;
    private final UnrepairedWindows unrepaired = new UnrepairedWindows();

    GapRepairerTest() {
        emulator.acceptToken(TOKEN, CHANNEL);
    }

    @AfterEach
    void stop() {
        if (repairer != null) {
            repairer.close();
        }
        rest.close();
        emulator.close();
    }

    private GapRepairer start(TokenType type, int maxRecords) {
        return start(type, maxRecords, Duration.ofMillis(200));
    }

    private GapRepairer start(TokenType type, int maxRecords, Duration margin) {
        BackfillSettings settings = new BackfillSettings(true, rest.baseUri(), () -> new Password(TOKEN), type,
                margin, Duration.ofHours(24), maxRecords, Duration.ZERO, 10_000);
        repairer = new GapRepairer(settings, metrics, System::currentTimeMillis, unrepaired);
        repairer.start("test-repair");
        return repairer;
    }

    /** Publishes one event a millisecond or more apart, so that creation order is one order. */
    private List<String> publish(Subscription pair, int count) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread.sleep(1);
            String data = generator.next(pair.topic(), pair.room());
            emulator.publish(pair.topic(), pair.room(), data);
            ids.add(read(data).get("_id").asText());
        }
        return ids;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<RepairedEvent> awaitEvents(int count) throws InterruptedException {
        List<RepairedEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            events.addAll(repairer.take(1000));
            Thread.sleep(20);
        }
        return events;
    }

    @Test
    void aStopBeforeTheRepairKeepsTheWindowAndTheNextStartRepairsIt() throws Exception {
        start(TokenType.JWT, 10_000, Duration.ofSeconds(30));
        long start = System.currentTimeMillis();
        repairer.gapOpened(TIPS, start, UnrepairedWindows.NO_FLOOR);
        assertTrue(unrepaired.of(TIPS).get(0).open(), "an open gap is carried from the moment it opens");
        List<String> ids = publish(TIPS, 20);
        repairer.gapClosed(TIPS, start, System.currentTimeMillis());
        UnrepairedWindows.Window kept = unrepaired.of(TIPS).get(0);
        repairer.close();
        assertEquals(List.of(kept), unrepaired.of(TIPS), "the window waits for its 30 s margin when the task stops");
        assertEquals(0, metrics.subscription(TIPS).getUnrepairedGaps(), "not given up: the next start repairs it");

        UnrepairedWindows next = new UnrepairedWindows();
        BackfillSettings settings = new BackfillSettings(true, rest.baseUri(), () -> new Password(TOKEN),
                TokenType.JWT, Duration.ofMillis(200), Duration.ofHours(24), 10_000, Duration.ZERO, 10_000);
        repairer = new GapRepairer(settings, metrics, System::currentTimeMillis, next);
        repairer.start("test-repair-2");
        // As the committed offset carries it; its end lies ahead, so the repair waits for it no longer than now.
        repairer.restore(TIPS, kept);
        assertEquals(1, next.of(TIPS).size());
        List<RepairedEvent> events = awaitEvents(20);
        assertEquals(ids, events.stream().map(RepairedEvent::eventId).toList());
        UnrepairedWindows.Window done = events.get(events.size() - 1).completes();
        assertTrue(done != null && events.stream().filter(e -> e.completes() != null).count() == 1,
                "the last event completes the window");
        assertTrue(next.repaired(TIPS, done.fromMs(), done.toMs()), "the window is removed once it is written");
    }

    @Test
    void aWindowCutToTheMaxAgeIsGivenUpNotKeptForEver() throws Exception {
        BackfillSettings settings = new BackfillSettings(true, rest.baseUri(), () -> new Password(TOKEN),
                TokenType.JWT, Duration.ofMillis(200), Duration.ofSeconds(2), 10_000, Duration.ZERO, 10_000);
        repairer = new GapRepairer(settings, metrics, System::currentTimeMillis, unrepaired);
        repairer.start("test-repair-cut");
        long start = System.currentTimeMillis() - 10_000;
        repairer.gapOpened(TIPS, start, UnrepairedWindows.NO_FLOOR);
        repairer.gapClosed(TIPS, start, System.currentTimeMillis());

        assertTrue(ConnectTestWait.until(() -> metrics.subscription(TIPS).getUnrepairedGaps() == 1),
                "counted as unrepaired");
        assertTrue(ConnectTestWait.until(() -> unrepaired.of(TIPS).isEmpty()),
                "the window leaves the offset: " + unrepaired.of(TIPS));
    }

    /**
     * A quiet channel is not a gap: after a restart 25 h after the pair's last record, the day REST keeps holds no
     * event, so nothing shows that the hour beyond it held one. Searched, not counted as unrepaired.
     */
    @Test
    void aRestartAfter25HoursOfSilenceCountsNoUnrepairedGap() throws Exception {
        start(TokenType.JWT, 10_000);
        long lastRecord = System.currentTimeMillis() - Duration.ofHours(25).toMillis();
        repairer.gapOpened(TIPS, lastRecord, UnrepairedWindows.NO_FLOOR);
        repairer.gapClosed(TIPS, lastRecord, System.currentTimeMillis(), true);

        assertTrue(ConnectTestWait.until(() -> metrics.subscription(TIPS).getRepairedGaps() == 1),
                "the searchable day repaired");
        assertEquals(0, metrics.subscription(TIPS).getUnrepairedGaps());
        assertTrue(metrics.subscription(TIPS).getRepairSkippedSeconds() >= 3_599,
                "the hour beyond the day is not searched: " + metrics.subscription(TIPS).getRepairSkippedSeconds());
    }

    /** The same cut, but events created right after it: the time before it likely held some too. */
    @Test
    void aRestartGapCutWhereEventsStartRightAfterTheCutCountsAsUnrepaired() throws Exception {
        BackfillSettings settings = new BackfillSettings(true, rest.baseUri(), () -> new Password(TOKEN),
                TokenType.JWT, Duration.ofMillis(1_000), Duration.ofSeconds(2), 10_000, Duration.ZERO, 10_000);
        repairer = new GapRepairer(settings, metrics, System::currentTimeMillis, unrepaired);
        repairer.start("test-repair-restart-cut");
        publish(TIPS, 1);
        Thread.sleep(1_500);
        long lastRecord = System.currentTimeMillis() - 10_000;
        repairer.gapOpened(TIPS, lastRecord, UnrepairedWindows.NO_FLOOR);
        repairer.gapClosed(TIPS, lastRecord, System.currentTimeMillis(), true);

        assertTrue(ConnectTestWait.until(() -> metrics.subscription(TIPS).getUnrepairedGaps() == 1),
                "an event within the margin after the cut: counted as unrepaired");
        assertEquals(0, metrics.subscription(TIPS).getRepairedGaps());
    }

    @Test
    void readsEveryActivityOfTheGapAcrossPagesOldestFirst() throws Exception {
        start(TokenType.JWT, 10_000);
        long start = System.currentTimeMillis();
        List<String> ids = publish(ACTIVITIES, 250);
        long end = System.currentTimeMillis();

        repairer.gapClosed(ACTIVITIES, start, end);
        List<RepairedEvent> events = awaitEvents(250);

        assertEquals(ids, events.stream().map(RepairedEvent::eventId).toList());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i - 1).createdAtMs() <= events.get(i).createdAtMs(), "creation order");
        }
        assertTrue(ConnectTestWait.until(() -> metrics.subscription(ACTIVITIES).getRepairedGaps() == 1));
        assertEquals(3, rest.requests().size(), "250 activities in pages of 100: " + rest.requests());
        assertTrue(rest.requests().get(0).contains("types=follow"), "types sent: " + rest.requests().get(0));
        assertEquals(Set.of("Bearer"), Set.copyOf(rest.authorizationSchemes()));
        RepairedEvent first = events.get(0);
        assertEquals(CHANNEL, first.delivery().room());
        assertEquals(first.eventId(), first.delivery().notification().id());
    }

    /** Issue 22's footprint: the repair's thread runs only while a gap's window waits or is repaired. */
    @Test
    void theRepairThreadExistsOnlyWhileAGapIsRepaired() throws Exception {
        start(TokenType.JWT, 10_000);
        assertFalse(repairThreadAlive(), "a repairer without a gap runs a thread");
        long start = System.currentTimeMillis();
        List<String> ids = publish(ACTIVITIES, 3);
        repairer.gapClosed(ACTIVITIES, start, System.currentTimeMillis());
        assertTrue(repairThreadAlive(), "the window waits for its margin on the repair's thread");
        assertEquals(ids, awaitEvents(3).stream().map(RepairedEvent::eventId).toList());
        assertTrue(ConnectTestWait.until(() -> !repairThreadAlive()), "the repair's thread outlived the repair");

        long again = System.currentTimeMillis();
        List<String> more = publish(ACTIVITIES, 2);
        repairer.gapClosed(ACTIVITIES, again, System.currentTimeMillis());
        assertEquals(more, awaitEvents(2).stream().map(RepairedEvent::eventId).toList(), "a later gap is repaired too");
    }

    private static boolean repairThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                && t.getName().equals("test-repair"));
    }

    @Test
    void readsTipsWithAnOAuthTokenAndRetriesAfter429() throws Exception {
        start(TokenType.OAUTH2, 10_000);
        long start = System.currentTimeMillis();
        List<String> ids = publish(TIPS, 30);
        rest.failNext(429, 2, 0);

        repairer.gapClosed(TIPS, start, System.currentTimeMillis());
        List<RepairedEvent> events = awaitEvents(30);

        assertEquals(ids, events.stream().map(RepairedEvent::eventId).toList());
        assertEquals(2, metrics.getRestErrorsByStatus().get("429"));
        assertTrue(rest.authorizationSchemes().stream().allMatch("oAuth"::equals));
        assertTrue(rest.requests().get(rest.requests().size() - 1).contains("sort=createdAt"));
    }

    @Test
    void anOverlayTokenIsRefusedAndTheGapStaysUnrepaired() throws Exception {
        start(TokenType.APIKEY, 10_000);
        long start = System.currentTimeMillis();
        publish(TIPS, 3);

        repairer.gapClosed(TIPS, start, System.currentTimeMillis());

        assertTrue(ConnectTestWait.until(() -> metrics.subscription(TIPS).getUnrepairedGaps() == 1));
        assertEquals(1, rest.requests().size(), "403 is not retried");
        assertEquals(List.of(), repairer.take(10));
    }

    @Test
    void keepsTheOldestOfAGapBeyondMaxRecordsAndCountsTheRest() throws Exception {
        start(TokenType.JWT, 10);
        long start = System.currentTimeMillis();
        List<String> ids = publish(ACTIVITIES, 25);

        repairer.gapClosed(ACTIVITIES, start, System.currentTimeMillis());
        List<RepairedEvent> events = awaitEvents(10);

        assertEquals(ids.subList(0, 10), events.stream().map(RepairedEvent::eventId).toList());
        assertTrue(ConnectTestWait.until(() -> metrics.subscription(ACTIVITIES).getUnrepairedGaps() == 1));
        assertEquals(15, metrics.subscription(ACTIVITIES).getRepairSkippedRecords());
    }

    @Test
    void aTopicWithoutRestHistoryCountsItsGapUnrepairedWithoutAsking() {
        start(TokenType.JWT, 10_000);

        repairer.gapClosed(CHAT, System.currentTimeMillis() - 5_000, System.currentTimeMillis());

        assertEquals(1, metrics.subscription(CHAT).getUnrepairedGaps());
        assertEquals(List.of(), rest.requests());
    }

    @Test
    void theOwnChannelIsReadOnceTheGatewayConfirmedItsRoom() throws Exception {
        start(TokenType.JWT, 10_000);
        long start = System.currentTimeMillis();
        List<String> ids = publish(TIPS, 3);

        repairer.gapClosed(OWN_TIPS, start, System.currentTimeMillis());
        assertTrue(ConnectTestWait.until(() -> metrics.subscription(OWN_TIPS).getUnrepairedGaps() == 1),
                "no room confirmed yet: nothing to read");
        repairer.confirmedRoom(OWN_TIPS, CHANNEL);
        repairer.gapClosed(OWN_TIPS, start, System.currentTimeMillis());
        List<RepairedEvent> events = awaitEvents(3);

        assertEquals(ids, events.stream().map(RepairedEvent::eventId).toList());
        assertTrue(ConnectTestWait.until(() -> metrics.subscription(OWN_TIPS).getRepairedGaps() == 1));
        assertEquals(1, rest.requests().size(), "only the confirmed room is read: " + rest.requests());
    }

    @Test
    void eventsPublishedOutsideTheWidenedGapAreNotRead() throws Exception {
        start(TokenType.JWT, 10_000);
        publish(ACTIVITIES, 5);
        Thread.sleep(400);
        long start = System.currentTimeMillis();
        List<String> inGap = publish(ACTIVITIES, 5);
        long end = System.currentTimeMillis();
        Thread.sleep(400);
        publish(ACTIVITIES, 5);

        repairer.gapClosed(ACTIVITIES, start, end);
        List<RepairedEvent> events = awaitEvents(5);
        Thread.sleep(200);
        events.addAll(repairer.take(100));

        assertEquals(inGap, events.stream().map(RepairedEvent::eventId).collect(Collectors.toList()));
    }
}
