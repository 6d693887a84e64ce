package io.github.kafkaconnectastro.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestApiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String WIDE = "after=0&before=99999999999999";

    private final AstroEmulator emulator = AstroEmulator.start();
    private final RestApiServer rest = RestApiServer.start(emulator);
    private final HttpClient http = HttpClient.newHttpClient();

    RestApiServerTest() {
        emulator.acceptToken("tok", ROOM);
    }

    @AfterEach
    void stop() {
        rest.close();
        emulator.close();
    }

    private HttpResponse<String> get(String pathAndQuery, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rest.baseUri() + pathAndQuery));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesWhatWasPublishedWhileNobodyWasSubscribedAsRestDocuments() throws Exception {
        ActivityGenerator generator = new ActivityGenerator(5);
        for (int i = 0; i < 3; i++) {
            emulator.publish("channel.activities", ROOM, generator.next("channel.activities", ROOM));
            emulator.publish("channel.tips", ROOM, generator.next("channel.tips", ROOM));
        }
        emulator.publish("channel.tips", ROOM, "{\"type\":\"no id\"}");

        JsonNode activities = JSON.readTree(get("/activities/" + ROOM + "?" + WIDE + "&limit=100&types=follow"
                + "&types=subscriber&types=cheer&types=tip&types=raid", "Bearer tok").body());
        JsonNode tips = JSON.readTree(get("/tips/" + ROOM + "?" + WIDE + "&limit=2", "oAuth tok").body());

        assertEquals(3, activities.size());
        assertFalse(activities.get(0).has("activityId"), "REST activities lack the Astro-only fields");
        assertTrue(activities.get(0).path("createdAt").asText().compareTo(activities.get(2).path("createdAt")
                .asText()) >= 0, "newest first");
        assertEquals(2, tips.get("docs").size());
        assertEquals(3, tips.get("totalDocs").asInt());
        assertTrue(tips.get("hasNextPage").asBoolean());
        assertFalse(tips.get("docs").get(0).get("deleted").asBoolean());
    }

    @Test
    void refusesWhatTheDocumentsSayItRefuses() throws Exception {
        String tips = "/tips/" + ROOM + "?" + WIDE;
        assertEquals(401, get(tips, null).statusCode());
        assertEquals(401, get(tips, "Bearer other").statusCode());
        assertEquals(403, get(tips, "apikey tok").statusCode());
        assertEquals(400, get("/tips/" + ROOM + "?after=", "Bearer tok").statusCode());
        assertEquals(400, get("/activities/" + ROOM + "?" + WIDE + "&limit=100", "Bearer tok").statusCode(),
                "types is required");
        assertEquals(400, get("/activities/" + ROOM + "?" + WIDE + "&limit=100&types=hypetrainStart", "Bearer tok")
                .statusCode());
        assertEquals(400, get("/activities/" + ROOM + "?" + WIDE + "&limit=101&types=tip", "Bearer tok")
                .statusCode());
    }

    @Test
    void answersInjectedFailuresWithRetryAfterThenServes() throws Exception {
        rest.failNext(429, 2, 7);
        String tips = "/tips/" + ROOM + "?" + WIDE;

        HttpResponse<String> first = get(tips, "Bearer tok");
        assertEquals(429, first.statusCode());
        assertEquals("7", first.headers().firstValue("Retry-After").orElse(null));
        assertEquals(429, get(tips, "Bearer tok").statusCode());
        assertEquals(200, get(tips, "Bearer tok").statusCode());
        assertEquals(3, rest.requests().size());
    }
}
