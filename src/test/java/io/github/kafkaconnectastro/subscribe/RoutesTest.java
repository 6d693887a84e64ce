package io.github.kafkaconnectastro.subscribe;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.session.RecordingMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A room named in a subscribe answer is learnt only when it is shaped like a room, as one from a notification is. */
class RoutesTest {

    private static final String CHANNEL = "6183c7d4ebc632abbf809890";
    private static final Subscription OWN = new Subscription("channel.activities", "");
    private static final Subscription TIPS = new Subscription("channel.tips", CHANNEL);

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final Routes routes = new Routes(List.of(OWN, TIPS), metrics);

    @Test
    void aCanonicalRoomThatIsNoRoomIsNeitherRoutedNorPassedOn() {
        for (String bad : List.of("a b", "x?y", "x#y", "../me", "..", ".", "x".repeat(65))) {
            routes.confirmed(TIPS, bad);
            routes.confirmed(OWN, bad);

            assertNull(routes.resolve("channel.tips", bad), bad);
            assertEquals(CHANNEL, metrics.confirmedRooms.get(TIPS), "the configured room stays: " + bad);
            assertNull(metrics.confirmedRooms.get(OWN), "nothing learnt from " + bad);
        }
    }

    @Test
    void aCanonicalRoomShapedLikeARoomIsRoutedAndPassedOn() {
        routes.confirmed(TIPS, "canonical-1");
        routes.confirmed(OWN, CHANNEL);

        assertNotNull(routes.resolve("channel.tips", "canonical-1"));
        assertEquals("canonical-1", metrics.confirmedRooms.get(TIPS));
        assertEquals(CHANNEL, metrics.confirmedRooms.get(OWN));
    }
}
