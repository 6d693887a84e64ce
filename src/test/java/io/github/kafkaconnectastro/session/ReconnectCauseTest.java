package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.FrameFault;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectCauseTest {

    @Test
    void everyCauseIsDocumentedUnderItsKey() throws Exception {
        String metrics = Files.readString(Path.of("docs/metrics.md"));
        String line = metrics.lines().filter(l -> l.startsWith("| `ReconnectsByCause`")).findFirst().orElseThrow();
        for (ReconnectCause cause : ReconnectCause.values()) {
            assertTrue(line.contains("`" + cause.key() + "`"), cause.key());
        }
    }

    @Test
    void frameFaultsCountAsTooLargeOrInvalid() {
        assertEquals(ReconnectCause.FRAME_TOO_LARGE, ReconnectCause.of(FrameFault.TOO_LARGE));
        assertEquals(ReconnectCause.INVALID_FRAME, ReconnectCause.of(FrameFault.INVALID_UTF8));
        assertEquals(ReconnectCause.INVALID_FRAME, ReconnectCause.of(FrameFault.PROTOCOL_ERROR));
    }
}
