package io.github.kafkaconnectastro.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActivityGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock FIXED = Clock.fixed(Instant.parse("2024-02-15T14:52:41.608Z"),
            ZoneOffset.UTC);
    private static final List<String> TOPICS = List.of("channel.activities", "channel.tips",
            "channel.session.update", "channel.stream.status", "channel.chat.message", "channel.other");

    @Test
    void sameSeedSameStream() {
        ActivityGenerator a = new ActivityGenerator(7, FIXED);
        ActivityGenerator b = new ActivityGenerator(7, FIXED);
        for (int i = 0; i < 50; i++) {
            String topic = TOPICS.get(i % TOPICS.size());
            assertEquals(a.next(topic, "room"), b.next(topic, "room"));
        }
    }

    @Test
    void activitiesFollowTheDocumentedShape() throws Exception {
        ActivityGenerator generator = new ActivityGenerator(1, FIXED);
        Set<String> types = new HashSet<>();
        boolean nonAscii = false;
        for (int i = 0; i < 300; i++) {
            String text = generator.next("channel.activities", "6183c7d4ebc632abbf809890");
            nonAscii |= text.chars().anyMatch(c -> c > 127);
            JsonNode activity = JSON.readTree(text);
            types.add(activity.path("type").asText());
            assertEquals("6183c7d4ebc632abbf809890", activity.path("channel").asText());
            assertTrue(activity.path("_id").asText().matches("[0-9a-f]{24}"), text);
            assertEquals(activity.path("_id"), activity.path("activityId"));
            assertEquals("2024-02-15T14:52:41.608Z", activity.path("createdAt").asText());
            assertTrue(activity.path("data").path("displayName").isTextual(), text);
        }
        assertEquals(Set.of("follow", "subscriber", "cheer", "tip", "raid"), types);
        assertTrue(nonAscii);
    }

    @Test
    void everyTopicYieldsJson() throws Exception {
        ActivityGenerator generator = new ActivityGenerator(2, FIXED);
        for (String topic : TOPICS) {
            assertTrue(JSON.readTree(generator.next(topic, "room")).isObject(), topic);
        }
        assertTrue(JSON.readTree(generator.next("channel.stream.status", "r")).has("isLive"));
    }
}
