package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calls of a schema registry's Confluent-compatible REST API that a consumer or an operator makes: list the
 * subjects, fetch a schema by the id a record carries, set a subject's compatibility, check and register a schema.
 * Plain HTTP and JSON, so that the tests depend on the API, not on a registry's client library.
 */
public final class ConfluentRegistryApi {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI base;

    /** @param base the API's root, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7} */
    public ConfluentRegistryApi(URI base) {
        this.base = base;
    }

    /** Whether the API answers {@code GET /subjects} with 200: a readiness probe, false while starting. */
    boolean answers() {
        try {
            return call("GET", "/subjects", null).status() == 200;
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    /** {@code GET /subjects}. */
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        ok(call("GET", "/subjects", null)).forEach(subject -> subjects.add(subject.asText()));
        return subjects;
    }

    /** {@code GET /schemas/ids/{id}}: the schema text a record's id names. */
    public String schemaById(int id) {
        return ok(call("GET", "/schemas/ids/" + id, null)).get("schema").asText();
    }

    /** {@code GET /subjects/{subject}/versions/latest}: {@code subject}, {@code version}, {@code id}, {@code schema}. */
    public JsonNode latest(String subject) {
        return ok(call("GET", "/subjects/" + subject + "/versions/latest", null));
    }

    /** {@code GET /subjects/{subject}/versions}: the version numbers. */
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        ok(call("GET", "/subjects/" + subject + "/versions", null)).forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    /** {@code PUT /config/{subject}} with {@code {"compatibility": level}}. */
    public void setCompatibility(String subject, String level) {
        ok(call("PUT", "/config/" + subject, json(Map.of("compatibility", level))));
    }

    /** {@code GET /config/{subject}}: the subject's own compatibility level. */
    public String compatibility(String subject) {
        return ok(call("GET", "/config/" + subject, null)).get("compatibilityLevel").asText();
    }

    /** {@code POST /compatibility/subjects/{subject}/versions/latest}: whether {@code schema} could be registered. */
    public boolean isCompatible(String subject, String schema) {
        return ok(call("POST", "/compatibility/subjects/" + subject + "/versions/latest", schemaBody(schema)))
                .get("is_compatible").asBoolean();
    }

    /** {@code POST /subjects/{subject}/versions}: the status, and the body, {@code {"id":…}} when 200. */
    public Response register(String subject, String schema) {
        return call("POST", "/subjects/" + subject + "/versions", schemaBody(schema));
    }

    /** The status and body of a call. */
    public record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private static String schemaBody(String schema) {
        return json(Map.of("schema", schema));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode ok(Response response) {
        if (response.status() != 200) {
            throw new AssertionError("registry answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    private Response call(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", CONTENT_TYPE)
                .header("Content-Type", CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + request.uri(), e);
        }
    }
}
