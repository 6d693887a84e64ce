package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.protocol.AstroMessage;
import io.github.kafkaconnectastro.protocol.DocumentExamples;
import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.records.Delivery;
import io.github.kafkaconnectastro.records.PayloadReading;
import io.github.kafkaconnectastro.records.ValueFormat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffer's byte bound with deliveries whose record value the reader thread made: they count their struct, so
 * a bound sized for their text alone is reached sooner, and it still holds.
 */
class ReadDeliveryBufferTest {

    private static Delivery delivery(AstroCodec codec) {
        AstroMessage.Notification n = (AstroMessage.Notification)
                codec.decode(DocumentExamples.text("topics-channel.tips.json"));
        return Delivery.routed(new Subscription(n.topic(), n.room()), n.room(), n);
    }

    @Test
    void aBufferSizedForThreeTextsHoldsFewerReadDeliveries() throws InterruptedException {
        Delivery text = delivery(new AstroCodec(64));
        Delivery typed = delivery(new AstroCodec(64, new PayloadReading(ValueFormat.TYPED, true)));
        assertTrue(typed.estimatedBytes() > text.estimatedBytes(),
                typed.estimatedBytes() + " is not more than the text's " + text.estimatedBytes());

        NotificationBuffer buffer = new NotificationBuffer(100, 3L * text.estimatedBytes());
        int taken = 0;
        while (buffer.put(delivery(new AstroCodec(64, new PayloadReading(ValueFormat.TYPED, true))), () -> true)) {
            taken++;
            assertTrue(taken < 100, "the byte bound never stopped a put");
        }
        assertTrue(taken >= 1 && taken < 3, taken + " read deliveries in a bound for three texts");
        assertTrue(buffer.bytes() <= 3L * text.estimatedBytes() || taken == 1, "over the bound: " + buffer.bytes());
        assertEquals((long) taken * typed.estimatedBytes(), buffer.bytes());
        List<Delivery> polled = buffer.poll(100, 0);
        assertEquals(taken, polled.size());
        assertFalse(polled.isEmpty());
    }
}
