package io.github.kafkaconnectastro.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AstroEmulatorMainTest {

    @Test
    void answersAsTheDocumentsShowUnlessAskedToEchoTheRoom() {
        assertFalse(AstroEmulatorMain.Options.parse(new String[0]).echoRoom());

        AstroEmulatorMain.Options echoing = AstroEmulatorMain.Options.parse(
                new String[] {"--port", "17071", "--echo-room", "--token", "t"});

        assertTrue(echoing.echoRoom());
        assertEquals(17071, echoing.port());
        assertEquals("t", echoing.token());
    }

    @Test
    void anOptionWithoutItsValueIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> AstroEmulatorMain.Options.parse(new String[] {"--echo-room", "--port"}));
    }
}
