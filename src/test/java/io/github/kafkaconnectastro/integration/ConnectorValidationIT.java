package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.kafkaconnectastro.integration.ConnectFixture.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code PUT /connector-plugins/AstroSourceConnector/config/validate}, with and without the live probe. */
class ConnectorValidationIT {

    private static final String VALIDATE = "connector-plugins/AstroSourceConnector/config/validate";
    private static final List<String[]> PAIRS = List.of(
            new String[] {"channel.activities", "val00001"}, new String[] {"channel.tips", "val00002"});
    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1);

    private static Map<String, String> probing() {
        return fixture.connectorConfig("validated", PAIRS, Map.of("astro.validate.probe.enabled", "true"));
    }

    @Test
    void probeReportsAPairTheTokenMayNotReadOnTheTokenKey() {
        fixture.emulator.failSubscriptions("channel.tips", "val00002", "err_unauthorized");
        try {
            JsonNode result = validate(probing());
            assertEquals(1, result.get("error_count").asInt(), result.toString());
            List<String> tokenErrors = errors(result, "astro.token");
            assertEquals(1, tokenErrors.size(), tokenErrors.toString());
            assertTrue(tokenErrors.get(0).contains("channel.tips:val00002")
                    && tokenErrors.get(0).contains("err_unauthorized"), tokenErrors.toString());
            assertFalse(result.toString().contains(ConnectFixture.TOKEN));
        } finally {
            fixture.emulator.clearSubscriptionFailures();
        }
        assertTrue(fixture.emulator.awaitConnections(0, AWAIT), "the probe disconnected");
        assertEquals(0, fixture.emulator.subscriberCount("channel.activities", "val00001"));
    }

    @Test
    void badTokenIsReportedForEveryPairAndNeverEchoed() {
        String wrong = "wrong-token-validate-3c4d5e";
        Map<String, String> config = probing();
        config.put("astro.token", wrong);
        JsonNode result = validate(config);
        List<String> tokenErrors = errors(result, "astro.token");
        assertEquals(2, tokenErrors.size(), tokenErrors.toString());
        assertTrue(tokenErrors.stream().anyMatch(e -> e.contains("channel.activities:val00001")));
        assertTrue(tokenErrors.stream().anyMatch(e -> e.contains("channel.tips:val00002")));
        assertFalse(result.toString().contains(wrong), "the token must not be echoed");

        ConnectFixture.RestResponse create = fixture.rest("PUT", "connectors/validated/config",
                ConnectFixture.toJson(config));
        assertEquals(400, create.status(), "a connector the gateway refuses is not created: " + create.body());
        assertTrue(create.body().contains("err_unauthorized"), create.body());
        assertFalse(create.body().contains(wrong), create.body());
    }

    @Test
    void unreachableGatewayIsReportedOnTheUrl() throws IOException {
        Map<String, String> config = probing();
        try (ServerSocket closed = new ServerSocket(0)) {
            config.put("astro.url", "ws://127.0.0.1:" + closed.getLocalPort());
        }
        JsonNode result = validate(config);
        List<String> urlErrors = errors(result, "astro.url");
        assertEquals(1, urlErrors.size(), result.toString());
        assertTrue(urlErrors.get(0).contains("could not connect"), urlErrors.toString());
    }

    @Test
    void withoutTheProbeValidationMakesNoConnection() {
        int handshakes = fixture.emulator.handshakeCount();
        Map<String, String> config = fixture.connectorConfig("validated", PAIRS,
                Map.of("astro.token", "not-checked-without-the-probe"));
        assertEquals(0, validate(config).get("error_count").asInt());
        assertEquals(handshakes, fixture.emulator.handshakeCount());
    }

    private static JsonNode validate(Map<String, String> config) {
        ConnectFixture.RestResponse response = fixture.rest("PUT", VALIDATE, ConnectFixture.toJson(config));
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    private static List<String> errors(JsonNode result, String key) {
        List<String> errors = new ArrayList<>();
        for (JsonNode config : result.get("configs")) {
            if (key.equals(config.get("value").get("name").asText())) {
                config.get("value").get("errors").forEach(e -> errors.add(e.asText()));
            }
        }
        return errors;
    }
}
