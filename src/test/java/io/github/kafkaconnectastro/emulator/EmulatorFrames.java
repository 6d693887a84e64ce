package io.github.kafkaconnectastro.emulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.kafkaconnectastro.protocol.DocumentExamples;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Every kind of frame the emulator writes, built as it builds them, for tests that replay gateway frames without a
 * socket (the fuzz tests start from these). The same arguments give the same frames: ids and times are fixed.
 */
public final class EmulatorFrames {

    private static final List<String> TOPICS = List.of("channel.activities", "channel.tips", "channel.session.update",
            "channel.stream.status", "channel.chat.message", "channel.kvstore.update");
    private static final Instant TIME = Instant.parse("2024-02-15T14:52:42Z");
    private static final JsonNodeFactory NODES = ServerMessages.MAPPER.getNodeFactory();

    private EmulatorFrames() {
    }

    /**
     * A welcome, answers with and without a room, error answers, a broadcast, a reconnect notice, and {@code perTopic}
     * notifications of each topic the activity generator knows, with a room and without one.
     */
    public static List<String> samples(long seed, String room, int perTopic) {
        ActivityGenerator generator = new ActivityGenerator(seed, Clock.fixed(TIME, ZoneOffset.UTC));
        List<String> answers = List.of(ServerMessages.welcome(id(0)),
                ServerMessages.success(NODES.textNode("n-1"), "successfully subscribed to topic", "channel.activities",
                        null),
                ServerMessages.success(NODES.numberNode(7), "successfully subscribed to topic", "channel.tips", room),
                ServerMessages.error(NODES.textNode("n-2"), "err_unauthorized", "invalid token"),
                ServerMessages.error(null, "rate_limit_exceeded", "rate limit exceeded"));
        List<String> frames = new ArrayList<>();
        for (String answer : answers) {
            // These take their id and time from the emulator's clock; fixed here so that a seed replays its frame.
            frames.add(DocumentExamples.with(DocumentExamples.with(answer, "id", id(frames.size())), "ts",
                    ServerMessages.timestamp(TIME)));
        }
        frames.add(ServerMessages.broadcast(id(frames.size()), TIME, "Hello world!"));
        frames.add(ServerMessages.reconnect("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl"));
        for (String topic : TOPICS) {
            for (int i = 0; i < perTopic; i++) {
                frames.add(ServerMessages.notification(id(frames.size()), TIME, topic, i % 2 == 0 ? room : null,
                        generator.next(topic, room)));
            }
        }
        return List.copyOf(frames);
    }

    /** A fixed ULID-shaped id. */
    private static String id(int index) {
        return String.format("01HPPM2TQ6CCMFQGHEN8M%05d", index);
    }
}
