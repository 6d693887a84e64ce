package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.transport.FrameFault;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconnectCauseTest {

    @Test
    void everyCauseIsDocumentedUnderItsKey() throws Exception {
        String metrics = Files.readString(Path.of("docs/metrics.md"));
        String row = metrics.lines().filter(l -> l.startsWith("| `ReconnectsByCause`")).findFirst().orElseThrow();
        String documented = row + noteLinkedFrom(row, metrics);
        for (ReconnectCause cause : ReconnectCause.values()) {
            assertTrue(documented.contains("`" + cause.key() + "`"), cause.key());
        }
    }

    /** The note below the table a row's short cell links to: the list item with that anchor and its sub-items. */
    private static String noteLinkedFrom(String row, String document) {
        Matcher link = Pattern.compile("\\(#([^)\\s]+)\\)").matcher(row);
        if (!link.find()) {
            return "";
        }
        StringBuilder note = new StringBuilder();
        boolean inNote = false;
        for (String line : document.split("\n")) {
            if (line.startsWith("- ")) {
                inNote = line.contains("<a id=\"" + link.group(1) + "\"");
            } else if (!line.startsWith("  ")) {
                inNote = false;
            }
            if (inNote) {
                note.append('\n').append(line);
            }
        }
        return note.toString();
    }

    @Test
    void frameFaultsCountAsTooLargeOrInvalid() {
        assertEquals(ReconnectCause.FRAME_TOO_LARGE, ReconnectCause.of(FrameFault.TOO_LARGE));
        assertEquals(ReconnectCause.INVALID_FRAME, ReconnectCause.of(FrameFault.INVALID_UTF8));
        assertEquals(ReconnectCause.INVALID_FRAME, ReconnectCause.of(FrameFault.PROTOCOL_ERROR));
    }
}
