package io.github.kafkaconnectastro.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionTest {

    @Test
    void parsesTopicAndRoom() {
        assertEquals(new Subscription("channel.activities", "5f2b0c1e9a1d"),
                Subscription.parse(" channel.activities : 5f2b0c1e9a1d "));
    }

    @Test
    void bareTopicMeansOwnChannel() {
        Subscription s = Subscription.parse("channel.tips");
        assertTrue(s.ownChannel());
        assertEquals("channel.tips", s.toString());
    }

    @Test
    void acceptsTopicsNotInTheDocumentedList() {
        assertEquals("channel.follow", Subscription.parse("channel.follow:abc").topic());
    }

    @Test
    void rejectsMalformedEntriesNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Subscription.parse(":abc"))
                .getMessage().contains("no topic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Subscription.parse("Channel Tips:abc"))
                .getMessage().contains("invalid topic"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Subscription.parse("channel.tips:"))
                .getMessage().contains("empty room"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Subscription.parse("channel.tips:a/b"))
                .getMessage().contains("invalid room"));
    }

    @Test
    void rejectsDuplicates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Subscription.parseAll(List.of("channel.tips:a", "channel.tips:b", "channel.tips:a")));
        assertTrue(e.getMessage().contains("channel.tips:a"));
    }
}
