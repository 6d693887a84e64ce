package io.github.kafkaconnectastro.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.protocol.Ulid;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreEncodedFramesTest {

    private static final String ROOM = "bench-conn";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFrameIsTheEmulatorsFrameForItsSequenceNumberWithItsIdTimeAndSendTimePatchedIn() throws Exception {
        PreEncodedFrames frames = new PreEncodedFrames(ROOM, 4);
        byte[] batch = new byte[3 * frames.frameBytes()];
        for (int seq = 0; seq < 3; seq++) {
            frames.write(batch, seq * frames.frameBytes(), seq, PreEncodedFrames.clock());
        }

        for (int seq = 0; seq < 3; seq++) {
            String text = payload(frames, batch, seq);
            JsonNode node = JSON.readTree(text);
            String id = node.get("id").asText();
            long sent = Long.parseLong(node.get("data").get("data").get("benchSent").asText());
            String expected = AstroEmulator.notificationFrame(id, Instant.parse(node.get("ts").asText()),
                    BenchPayload.TOPIC, ROOM, BenchPayload.data(ROOM, seq, sent));
            assertEquals(expected, text);
            assertTrue(Ulid.isUlid(id), id);
            assertTrue(Math.abs(Ulid.timestampMillis(id) - System.currentTimeMillis()) < 60_000);
        }
    }

    @Test
    void everyFrameHasItsOwnIdAndSequenceNumberAfterTheVariantsRepeat() throws Exception {
        PreEncodedFrames frames = new PreEncodedFrames(ROOM, 2);
        int count = 6;
        byte[] batch = new byte[count * frames.frameBytes()];
        PreEncodedFrames.Clock clock = PreEncodedFrames.clock();
        // Crosses 2^35, where the id's base32 sequence carries into another character.
        long first = (1L << 35) - 2;
        for (int i = 0; i < count; i++) {
            frames.write(batch, i * frames.frameBytes(), first + i, clock);
        }

        String previousId = "";
        for (int i = 0; i < count; i++) {
            byte[] frame = Arrays.copyOfRange(batch, i * frames.frameBytes(), (i + 1) * frames.frameBytes());
            assertEquals((byte) 0x81, frame[0], "a final text frame");
            assertEquals(126, frame[1], "unmasked, 16-bit length");
            assertEquals(frames.frameBytes() - 4, ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF));
            assertEquals(first + i, BenchPayload.seqOf(frame));
            String id = JSON.readTree(payload(frames, batch, i)).get("id").asText();
            assertTrue(id.compareTo(previousId) > 0, "ids grow with the sequence number: " + id + " after " + previousId);
            previousId = id;
        }
        // Variants repeat every two frames: the tipper's name comes back, the id and number do not.
        assertEquals(JSON.readTree(payload(frames, batch, 0)).get("data").get("data").get("username"),
                JSON.readTree(payload(frames, batch, 2)).get("data").get("data").get("username"));
        assertNotEquals(payload(frames, batch, 0), payload(frames, batch, 2));
    }

    private static String payload(PreEncodedFrames frames, byte[] batch, int index) {
        int at = index * frames.frameBytes() + frames.headerBytes();
        return new String(batch, at, frames.frameBytes() - frames.headerBytes(), StandardCharsets.US_ASCII);
    }
}
