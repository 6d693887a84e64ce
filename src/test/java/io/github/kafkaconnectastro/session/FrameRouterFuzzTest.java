package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.subscribe.Routes;
import io.github.kafkaconnectastro.transport.Inbound;
import io.github.kafkaconnectastro.util.RateLimitedLog;

import io.github.kafkaconnectastro.fuzz.FuzzRun;
import io.github.kafkaconnectastro.fuzz.RandomJson;
import io.github.kafkaconnectastro.fuzz.RandomText;
import io.github.kafkaconnectastro.fuzz.SeedFrames;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader's side of a session fed random and mutated frames (docs/fuzzing.md): it never throws, every frame ends
 * in exactly one place (a delivery in the buffer, a counted malformed kind, a broadcast, or an event for the
 * session), what each keeps on the heap is bounded by the frame's size, and frames over the size limit are refused
 * before they are decoded.
 */
class FrameRouterFuzzTest {

    private static final int MAX_FRAME_BYTES = 4 * 1024;
    /** What a delivery holds besides its strings' characters: object headers and fields, generously. */
    private static final int DELIVERY_OVERHEAD_BYTES = 512;
    /** One for every router of the run, as a task has one: a warning of each kind a minute, not one a try. */
    private static final RateLimitedLog WARNINGS = new RateLimitedLog(60_000);
    private static final List<Subscription> PAIRS = List.of(new Subscription("channel.activities", ""),
            new Subscription("channel.tips", SeedFrames.ROOM), new Subscription("channel.stream.status", SeedFrames.ROOM),
            new Subscription("channel.chat.message", "other-room"));

    @Test
    void everyFrameEndsInExactlyOnePlace() {
        Map<String, Long> outcomes = FuzzRun.checkText("router: any frame", 800, FrameRouterFuzzTest::anyFrame,
                frame -> new Harness(false).feed(frame));
        FuzzRun.assertReached(outcomes, "delivery");
        FuzzRun.assertReached(outcomes, "malformed too_large");
    }

    @Test
    void everyFrameEndsInExactlyOnePlaceOnceTheOwnChannelIsKnown() {
        FuzzRun.checkText("router: any frame, own channel known", 800, FrameRouterFuzzTest::anyFrame,
                frame -> new Harness(true).feed(frame));
    }

    @Test
    void framesOverTheLimitAreRefusedBeforeDecoding() {
        FuzzRun.checkText("router: frames about the size limit", 400, FrameRouterFuzzTest::aboutTheLimit, frame -> {
            String outcome = new Harness(false).feed(frame);
            boolean over = frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES;
            assertEquals(over, outcome.equals("malformed too_large"), "refused when over the limit only: " + outcome);
            return outcome;
        });
    }

    /** A real frame mutated, a real one, a random frame or random text, sometimes past the size limit. */
    private static String anyFrame(Random random) {
        int roll = random.nextInt(20);
        if (roll < 12) {
            return SeedFrames.mutated(random);
        }
        if (roll < 14) {
            return SeedFrames.all().get(random.nextInt(SeedFrames.all().size()));
        }
        if (roll < 17) {
            return RandomJson.frame(random);
        }
        if (roll < 18) {
            return RandomText.of(random, 300);
        }
        return aboutTheLimit(random);
    }

    /**
     * The documents' notification, its data grown with one-, two-, three- and four-byte characters to within a few
     * bytes of the limit, either side.
     */
    private static String aboutTheLimit(Random random) {
        String[] pieces = {"a", "é", "日", "\ud83c\udf89"};
        String frame = DocumentExamples.text("protocol-notification-activity.json");
        int room = MAX_FRAME_BYTES - frame.getBytes(StandardCharsets.UTF_8).length - "\"pad\":\"\",".length()
                - 8 + random.nextInt(16);
        StringBuilder pad = new StringBuilder();
        int bytes = 0;
        while (bytes < room) {
            String piece = pieces[random.nextInt(pieces.length)];
            pad.append(piece);
            bytes += piece.getBytes(StandardCharsets.UTF_8).length;
        }
        int data = frame.indexOf("\"data\":{") + "\"data\":{".length();
        return frame.substring(0, data) + "\"pad\":\"" + pad + "\"," + frame.substring(data);
    }

    /** A fresh router and what it reported; feeds one frame and tells where it ended. */
    private static final class Harness {
        final RecordingMetrics metrics = new RecordingMetrics();
        final NotificationBuffer buffer = new NotificationBuffer(1_000, Long.MAX_VALUE);
        final List<SessionEvent> events = new ArrayList<>();
        final FrameRouter router = new FrameRouter(new AstroCodec(64), MAX_FRAME_BYTES, new Routes(PAIRS, metrics),
                buffer, metrics, WARNINGS, events::add);
        final Inbound source = new FakeInbound();

        Harness(boolean ownChannelKnown) {
            if (ownChannelKnown) {
                router.onText(source, DocumentExamples.text("protocol-notification-activity.json"));
                drain();
                metrics.malformed.clear();
            }
        }

        String feed(String frame) {
            router.onText(source, frame);
            String outcome = outcome(frame);
            assertEquals(FrameRouter.exceedsUtf8Bytes(frame, MAX_FRAME_BYTES), outcome.equals("malformed too_large"),
                    "refused as too large exactly when over the limit: " + outcome);
            return outcome;
        }

        private String outcome(String frame) {
            List<Delivery> deliveries = drain();
            int malformed = metrics.malformed.values().stream().mapToInt(AtomicInteger::get).sum();
            int ends = deliveries.size() + malformed + metrics.broadcasts.get() + events.size();
            assertEquals(1, ends, "ended in exactly one place: deliveries " + deliveries.size() + ", malformed "
                    + metrics.malformed + ", broadcasts " + metrics.broadcasts + ", events " + events);
            if (!deliveries.isEmpty()) {
                checkDelivery(frame, deliveries.get(0));
                return "delivery";
            }
            if (!events.isEmpty()) {
                assertTrue(retainedChars(events.get(0)) <= frame.length(), "an event holds no more than its frame");
                return "event " + events.get(0).getClass().getSimpleName();
            }
            if (malformed > 0) {
                return "malformed " + metrics.malformed.keySet().iterator().next();
            }
            return "broadcast";
        }

        private List<Delivery> drain() {
            try {
                return buffer.poll(1_000, 0);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        /**
         * The buffer's estimate of a delivery is at most three times its frame's length, and the heap it really
         * holds (its strings' characters at two bytes each, and the objects) at most twice the estimate.
         */
        private static void checkDelivery(String frame, Delivery delivery) {
            AstroMessage.Notification n = delivery.notification();
            assertTrue(!delivery.room().isEmpty() || delivery.subscription().ownChannel() && n.room() == null,
                    "a delivery names its room, unless it is for the own channel, from a frame with none");
            assertEquals(frame.length(), n.frameBytes());
            long estimate = delivery.estimatedBytes();
            assertTrue(estimate <= 3L * frame.length(), "estimate " + estimate + " for a frame of " + frame.length());
            // The delivery's room is the notification's own string, or the configured or learnt one: never a copy.
            assertTrue(delivery.room() == n.room() || n.room() == null, "the room is not copied");
            long chars = length(n.id()) + length(n.topic()) + length(n.room()) + length(n.dataType())
                    + length(n.dataJson());
            assertTrue(2 * chars + DELIVERY_OVERHEAD_BYTES <= 2 * estimate + DELIVERY_OVERHEAD_BYTES * 2,
                    "holds " + (2 * chars) + " bytes of text for an estimate of " + estimate);
        }

        private static long retainedChars(SessionEvent event) {
            if (event instanceof SessionEvent.Answer answer) {
                AstroMessage.Response r = answer.response();
                return length(r.id()) + length(r.nonce()) + length(r.error()) + length(r.message()) + length(r.topic())
                        + length(r.room());
            }
            if (event instanceof SessionEvent.ReconnectAsked asked) {
                return length(asked.reconnect().reconnectToken()) + length(asked.reconnect().message());
            }
            return 0;
        }

        private static long length(String text) {
            return text == null ? 0 : text.length();
        }
    }
}
