package io.github.kafkaconnectastro.transport;

import io.github.kafkaconnectastro.session.FrameRouter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameSizeTest {

    @Test
    void countsUtf8BytesNotCharacters() {
        assertFalse(FrameRouter.exceedsUtf8Bytes("a".repeat(1024), 1024));
        assertTrue(FrameRouter.exceedsUtf8Bytes("a".repeat(1025), 1024));
        assertTrue(FrameRouter.exceedsUtf8Bytes("é".repeat(513), 1024), "513 two-byte characters");
        assertFalse(FrameRouter.exceedsUtf8Bytes("é".repeat(512), 1024));
        assertTrue(FrameRouter.exceedsUtf8Bytes("日".repeat(342), 1024), "342 three-byte characters");
        assertTrue(FrameRouter.exceedsUtf8Bytes("😀".repeat(257), 1024), "257 four-byte surrogate pairs");
        assertFalse(FrameRouter.exceedsUtf8Bytes("😀".repeat(256), 1024));
    }
}
