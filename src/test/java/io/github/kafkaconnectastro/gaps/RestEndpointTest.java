package io.github.kafkaconnectastro.gaps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both paging bodies REST.md shows for each endpoint, read as they are written there. */
class RestEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void onlyActivitiesAndTipsHaveARestHistory() {
        assertEquals(RestEndpoint.ACTIVITIES, RestEndpoint.of("channel.activities"));
        assertEquals(RestEndpoint.TIPS, RestEndpoint.of("channel.tips"));
        for (String topic : List.of("channel.tips.moderation", "channel.chat.message", "channel.session.update",
                "channel.stream.status")) {
            assertNull(RestEndpoint.of(topic), topic);
        }
    }

    @Test
    void readsTheOldTipsBodyAndStopsAtItsTotal() throws Exception {
        JsonNode body = json("{\"docs\":[{\"_id\":\"a\"}],\"total\":1,\"limit\":25,\"offset\":0}");

        RestEndpoint.Page page = RestEndpoint.TIPS.page(body, 0);

        assertEquals(1, page.docs().size());
        assertTrue(page.last());
    }

    @Test
    void readsTheCurrentTipsBodyAndFollowsHasNextPage() throws Exception {
        StringBuilder docs = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            docs.append(i == 0 ? "" : ",").append("{\"_id\":\"t").append(i).append("\"}");
        }
        JsonNode more = json("{\"docs\":[" + docs + "],\"totalDocs\":150,\"offset\":0,\"limit\":100,"
                + "\"totalPages\":2,\"page\":1,\"pagingCounter\":1,\"hasPrevPage\":false,\"hasNextPage\":true,"
                + "\"prevPage\":null,\"nextPage\":2}");
        JsonNode last = json("{\"docs\":[{\"_id\":\"x\"}],\"totalDocs\":150,\"offset\":100,\"limit\":100,"
                + "\"hasNextPage\":false}");

        assertFalse(RestEndpoint.TIPS.page(more, 0).last());
        assertTrue(RestEndpoint.TIPS.page(last, 100).last());
        assertTrue(RestEndpoint.TIPS.page(json("{\"docs\":[]}"), 200).last());
    }

    @Test
    void readsActivitiesAsAnArrayOrWithACount() throws Exception {
        assertTrue(RestEndpoint.ACTIVITIES.page(json("[{\"_id\":\"a\"}]"), 0).last(), "a short page is the last");
        RestEndpoint.Page counted = RestEndpoint.ACTIVITIES.page(json("{\"total\":1,\"docs\":[{\"_id\":\"a\"}]}"), 0);
        assertEquals(1, counted.docs().size());
        assertTrue(counted.last());
    }

    @Test
    void asksActivitiesForTheTenAcceptedTypesAndAWindowInMilliseconds() {
        var query = RestEndpoint.ACTIVITIES.query(1_000L, 2_000L, 100);

        assertEquals(1_000L, query.get("after"));
        assertEquals(2_000L, query.get("before"));
        assertEquals(100, query.get("offset"));
        assertEquals(100, query.get("limit"));
        assertEquals(10, ((List<?>) query.get("types")).size());
        assertEquals("createdAt", RestEndpoint.TIPS.query(1L, 2L, 0).get("sort"));
    }

    @Test
    void encodesTheChannelAsOnePathSegment() {
        assertEquals("/activities/6183c7d4ebc632abbf809890", RestEndpoint.ACTIVITIES.path("6183c7d4ebc632abbf809890"));
        assertEquals("/tips/a%20b%3Fc%23d%2F..%2Fe%25", RestEndpoint.TIPS.path("a b?c#d/../e%"));
        assertEquals("/tips/%2E%2E", RestEndpoint.TIPS.path(".."), "a dot segment would climb");
        assertEquals("/tips/%C3%A9", RestEndpoint.TIPS.path("\u00e9"));
    }
}
