package io.github.kafkaconnectastro.protocol;

import io.github.kafkaconnectastro.util.SafeText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.fuzz.FuzzRun;
import io.github.kafkaconnectastro.fuzz.RandomJson;
import io.github.kafkaconnectastro.fuzz.RandomText;
import io.github.kafkaconnectastro.fuzz.SeedFrames;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codec fed random text, random frames and mutations of the real frames (docs/fuzzing.md): decoding never
 * throws, and what it returns is either a well-formed message or a {@code Malformed} whose reason does not echo the
 * frame.
 */
class AstroCodecFuzzTest {

    /** The nesting limit of the connector's default configuration. */
    private static final int MAX_NESTING = 64;
    /** The longest reason a malformed frame may have: a sentence, and at most one id cut to SafeText's length. */
    private static final int MAX_REASON_CHARS = 100 + SafeText.MAX_CHARS + 1;
    private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AstroCodec codec = new AstroCodec(MAX_NESTING);

    @Test
    void randomTextDecodesWithoutThrowing() {
        FuzzRun.checkText("codec: random text", 600, random -> RandomText.of(random, random.nextInt(10) == 0 ? 5_000 : 200),
                this::decodesWell);
    }

    @Test
    void randomFramesDecodeWithoutThrowing() {
        FuzzRun.checkText("codec: random frames", 600, RandomJson::frame, this::decodesWell);
    }

    @Test
    void mutatedRealFramesDecodeWithoutThrowing() {
        Map<String, Long> outcomes = FuzzRun.checkText("codec: mutated real frames", 1_500, SeedFrames::mutated,
                this::decodesWell);
        FuzzRun.assertReached(outcomes, "Notification");
        FuzzRun.assertReached(outcomes, "Malformed");
    }

    @Test
    void theRealFramesDecodeAsWellFormedMessages() {
        for (String frame : SeedFrames.all()) {
            assertFalse(decodesWell(frame).startsWith("Malformed"), frame);
        }
    }

    @Test
    void timestampsReadByHandMatchTheJdk() {
        FuzzRun.checkText("codec: ts read by hand and by the JDK", 600, RandomText::timestamp, text -> {
            Instant jdk;
            try {
                jdk = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                Instant fast = Rfc3339.tryFast(text);
                assertEquals(null, fast, "read by hand, refused by the JDK");
                return "refused";
            }
            assertEquals(jdk, Rfc3339.parse(text));
            return Rfc3339.tryFast(text) == null ? "read by the JDK" : "read by hand";
        });
    }

    @Test
    void subscribeCommandsReadBackWithTheTokenOnlyInDataToken() {
        FuzzRun.check("codec: subscribe commands", 600, Command::random, command -> {
            String text = codec.subscribe(command.nonce, command.topic, command.room, command.token, command.type);
            JsonNode read = readJson(text);
            assertEquals("subscribe", read.path("type").asText());
            assertEquals(command.nonce, read.path("nonce").asText());
            JsonNode data = read.path("data");
            assertEquals(command.topic, data.path("topic").asText());
            assertEquals(command.room, data.path("room").asText());
            assertEquals(command.token, data.path("token").asText());
            assertEquals(command.type.wire(), data.path("token_type").asText());
            assertEquals(3, read.size(), "type, nonce and data only");
            assertEquals(4, data.size(), "topic, room, token and token_type only");
            assertEquals(1, occurrences(text, Command.MARK), "the token appears once, in data.token");
            AstroMessage decoded = codec.decode(text);
            assertTrue(decoded instanceof AstroMessage.Unknown, "the codec reads it as a well-formed frame");
            return command.type.name();
        });
    }

    /**
     * Decodes the frame and checks what came out; returns the kind of message. A notification has an id, a topic,
     * a ts in 1970–9999 and data that is JSON; a malformed frame's reason is a short sentence.
     */
    /** How a reason names a notification's id. */
    private static final Pattern ECHOED_ID = Pattern.compile("^notification .*? has ");

    private String decodesWell(String frame) {
        AstroMessage message = codec.decode(frame);
        assertNotNull(message);
        if (message instanceof AstroMessage.Malformed malformed) {
            assertNotNull(malformed.kind());
            assertFalse(malformed.reason() == null || malformed.reason().isBlank(), "a reason");
            assertTrue(malformed.reason().length() <= MAX_REASON_CHARS, "a short reason: " + malformed.reason());
            // A notification's id is named on purpose (escaped and cut short by SafeText): a mutation may have moved
            // the canary into it. Nothing else of the frame may be echoed.
            String beyondId = ECHOED_ID.matcher(malformed.reason()).replaceFirst("notification <id> has ");
            assertFalse(beyondId.contains(RandomJson.CANARY), "the reason echoes the frame: " + malformed.reason());
            return "Malformed " + malformed.kind().metricName();
        }
        if (message instanceof AstroMessage.Notification n) {
            assertFalse(n.id() == null || n.id().isEmpty(), "an id");
            assertFalse(n.topic() == null || n.topic().isEmpty(), "a topic");
            assertTrue(n.room() == null || !n.room().isEmpty(), "a room, when there is one, is not empty");
            assertFalse(n.ts().isBefore(Instant.EPOCH), "ts from 1970: " + n.ts());
            assertTrue(n.ts().isBefore(YEAR_10000), "ts before 10000: " + n.ts());
            assertEquals(frame.length(), n.frameBytes());
            if (n.dataJson() != null) {
                readJson(n.dataJson());
                assertTrue(frame.contains(n.dataJson()), "data is a slice of the frame");
            }
        } else if (message instanceof AstroMessage.Unknown unknown) {
            assertNotNull(unknown.type());
        }
        return message.getClass().getSimpleName();
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    /** A subscribe command's parts: any text, with the token marked so that it can be found in the output. */
    private record Command(String nonce, String topic, String room, String token, TokenType type) {
        static final String MARK = "T0K3N";

        static Command random(Random random) {
            return new Command(unmarked(random), unmarked(random), unmarked(random),
                    MARK + RandomText.of(random, 60), TokenType.values()[random.nextInt(TokenType.values().length)]);
        }

        private static String unmarked(Random random) {
            return RandomText.of(random, 40).replace(MARK, "");
        }

        @Override
        public String toString() {
            return "nonce=" + nonce + " topic=" + topic + " room=" + room + " token=" + token + " type=" + type;
        }
    }
}
