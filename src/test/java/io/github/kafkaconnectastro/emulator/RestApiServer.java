package io.github.kafkaconnectastro.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * StreamElements' REST list endpoints ("kappa" v2) as REST.md describes them, served over HTTP on
 * {@code http://127.0.0.1:<port>/kappa/v2} from the emulator's {@link EventHistory}, so that everything the
 * emulator published on {@code channel.activities} and {@code channel.tips}, also while nobody was subscribed,
 * can be read back:
 * <ul>
 *   <li>{@code GET /kappa/v2/activities/{channel}}: {@code after}, {@code before} (ms or ISO 8601), {@code limit}
 *       (1–100) and {@code types} (repeated, or {@code ["a","b"]}; only the ten values REST.md's validator
 *       accepts) are required, as every source marks them; {@code offset} skips. The answer is a JSON array, newest
 *       first as in every captured example, or {@code {total, docs}} with {@code count=true}.</li>
 *   <li>{@code GET /kappa/v2/tips/{channel}}: {@code offset}, {@code limit} (1–100, 25 when absent), {@code sort}
 *       ({@code createdAt} or {@code -createdAt}, the default), {@code after}, {@code before}. The answer has the
 *       current paging body ({@code docs, totalDocs, offset, limit, totalPages, page, pagingCounter, hasPrevPage,
 *       hasNextPage, prevPage, nextPage}).</li>
 *   <li>Any parameter sent empty is refused with 400 and a Joi-style body, as both API descriptions show.</li>
 *   <li>Authorization: {@code Bearer <jwt>} or {@code oAuth <token>} ({@code oauth2} too) with a token the
 *       emulator accepts; an overlay token ({@code apikey}) gets 403, as the official operation security lists only
 *       JWT and OAuth2 for activities (for tips the sources disagree; the emulator takes the stricter reading); no
 *       or an unknown token gets 401.</li>
 *   <li>{@link #failNext} injects 429 (with {@code Retry-After}) or 5xx answers.</li>
 * </ul>
 * Kinder than the real API: any accepted token may read any channel (the real one is bound to its account's
 * channel), and a document is readable the moment it is published.
 */
public final class RestApiServer implements AutoCloseable {

    /** The path prefix of REST v2, as in {@code https://api.streamelements.com/kappa/v2}. */
    public static final String BASE_PATH = "/kappa/v2";
    private static final Set<String> ACTIVITY_TYPES = Set.of("follow", "tip", "sponsor", "superchat", "host", "raid",
            "subscriber", "cheer", "redemption", "merch");
    private static final int MAX_LIMIT = 100;

    private final AstroEmulator emulator;
    private final EventHistory history;
    private final HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizationSchemes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus;
    private volatile Integer failureRetryAfterSeconds;

    private RestApiServer(AstroEmulator emulator, HttpServer server) {
        this.emulator = emulator;
        this.history = emulator.history();
        this.server = server;
    }

    /** Serves the emulator's history on an ephemeral loopback port; the history is recorded from now on. */
    public static RestApiServer start(AstroEmulator emulator) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RestApiServer api = new RestApiServer(emulator, server);
            server.createContext(BASE_PATH + "/", api::handle);
            emulator.history().enable();
            server.start();
            return api;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the emulated REST API", e);
        }
    }

    /** {@code http://127.0.0.1:<port>/kappa/v2}: the value for {@code astro.rest.url}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH);
    }

    /**
     * Answers the next {@code times} requests with {@code status} (429, 500, 502, 503...) instead of serving them.
     *
     * @param retryAfterSeconds the {@code Retry-After} header's value, or null for none
     */
    public void failNext(int status, int times, Integer retryAfterSeconds) {
        failureStatus = status;
        failureRetryAfterSeconds = retryAfterSeconds;
        failuresLeft.set(times);
    }

    /** Every request's path and query, in arrival order (a copy). */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The {@code Authorization} scheme of every request ({@code Bearer}, {@code oAuth}, ..., or "" for none). */
    public List<String> authorizationSchemes() {
        synchronized (authorizationSchemes) {
            return List.copyOf(authorizationSchemes);
        }
    }

    /** Forgets the requests recorded and lifts injected failures. */
    public void reset() {
        requests.clear();
        authorizationSchemes.clear();
        failuresLeft.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (failureRetryAfterSeconds != null) {
                    exchange.getResponseHeaders().add("Retry-After", failureRetryAfterSeconds.toString());
                }
                send(exchange, failureStatus, error(failureStatus, failureStatus == 429 ? "Too Many Requests"
                        : "Internal Server Error", "injected by the emulator"));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 404, error(404, "Not Found", null));
                return;
            }
            String[] parts = uri.getPath().substring(BASE_PATH.length() + 1).split("/");
            if (parts.length != 2 || !(parts[0].equals("activities") || parts[0].equals("tips"))) {
                send(exchange, 404, error(404, "Not Found", null));
                return;
            }
            String refusal = authorize(exchange.getRequestHeaders().getFirst("Authorization"));
            if (refusal != null) {
                int status = refusal.equals("Forbidden") ? 403 : 401;
                send(exchange, status, error(status, refusal, null));
                return;
            }
            Map<String, List<String>> query = query(uri.getRawQuery());
            ObjectNode invalid = emptyParameter(query);
            if (invalid != null) {
                send(exchange, 400, invalid);
                return;
            }
            if (parts[0].equals("activities")) {
                activities(exchange, parts[1], query);
            } else {
                tips(exchange, parts[1], query);
            }
        } catch (RuntimeException e) {
            send(exchange, 500, error(500, "Internal Server Error", e.toString()));
        }
    }

    /** Null when the token may read lists; otherwise the error name to answer with. */
    private String authorize(String header) {
        if (header == null || header.indexOf(' ') < 0) {
            authorizationSchemes.add("");
            return "Unauthorized";
        }
        String scheme = header.substring(0, header.indexOf(' '));
        String token = header.substring(header.indexOf(' ') + 1).trim();
        authorizationSchemes.add(scheme);
        if (!emulator.tokenAccepted(token)) {
            return "Unauthorized";
        }
        String kind = scheme.toLowerCase(Locale.ROOT);
        if (kind.equals("apikey")) {
            return "Forbidden";
        }
        return kind.equals("bearer") || kind.equals("oauth") || kind.equals("oauth2") ? null : "Unauthorized";
    }

    private void activities(HttpExchange exchange, String channel, Map<String, List<String>> query)
            throws IOException {
        for (String required : List.of("after", "before", "limit", "types")) {
            if (!query.containsKey(required)) {
                send(exchange, 400, validation(required, "\"" + required + "\" is required"));
                return;
            }
        }
        Long after = time(query, "after");
        Long before = time(query, "before");
        if (after == null || before == null) {
            String bad = after == null ? "after" : "before";
            send(exchange, 400, validation(bad, "\"" + bad + "\" must be a number of milliseconds or valid date "
                    + "string"));
            return;
        }
        Integer limit = number(query, "limit", 1, MAX_LIMIT);
        Integer offset = query.containsKey("offset") ? number(query, "offset", 0, Integer.MAX_VALUE) : Integer.valueOf(0);
        if (limit == null || offset == null) {
            String bad = limit == null ? "limit" : "offset";
            send(exchange, 400, validation(bad, "\"" + bad + "\" must be a number within its limits"));
            return;
        }
        List<String> types = types(query.get("types"));
        if (!ACTIVITY_TYPES.containsAll(types)) {
            send(exchange, 400, validation("types", "\"types\" must be one of [follow, tip, sponsor, superchat, "
                    + "host, raid, subscriber, cheer, redemption, merch]"));
            return;
        }
        List<EventHistory.Document> found = history.between(EventHistory.ACTIVITIES, channel, after, before);
        found.removeIf(doc -> !types.contains(doc.json().path("type").asText()));
        ArrayNode docs = page(found, offset, limit);
        if ("true".equals(first(query, "count"))) {
            ObjectNode body = ServerMessages.MAPPER.createObjectNode().put("total", found.size());
            body.set("docs", docs);
            send(exchange, 200, body);
        } else {
            send(exchange, 200, docs);
        }
    }

    private void tips(HttpExchange exchange, String channel, Map<String, List<String>> query) throws IOException {
        Long after = query.containsKey("after") ? time(query, "after") : Long.valueOf(Long.MIN_VALUE);
        Long before = query.containsKey("before") ? time(query, "before") : Long.valueOf(Long.MAX_VALUE);
        if (after == null || before == null) {
            String bad = after == null ? "after" : "before";
            send(exchange, 400, validation(bad, "\"" + bad + "\" must be a number of milliseconds or valid date "
                    + "string"));
            return;
        }
        Integer limit = query.containsKey("limit") ? number(query, "limit", 1, MAX_LIMIT) : Integer.valueOf(25);
        Integer offset = query.containsKey("offset") ? number(query, "offset", 0, Integer.MAX_VALUE) : Integer.valueOf(0);
        if (limit == null || offset == null) {
            String bad = limit == null ? "limit" : "offset";
            send(exchange, 400, validation(bad, "\"" + bad + "\" must be a number within its limits"));
            return;
        }
        List<EventHistory.Document> found = history.between(EventHistory.TIPS, channel, after, before);
        if ("createdAt".equals(first(query, "sort"))) {
            Collections.reverse(found);
        }
        int total = found.size();
        int pages = (total + limit - 1) / limit;
        int page = offset / limit + 1;
        ObjectNode body = ServerMessages.MAPPER.createObjectNode();
        body.set("docs", page(found, offset, limit));
        body.put("totalDocs", total).put("offset", offset).put("limit", limit).put("totalPages", pages)
                .put("page", page).put("pagingCounter", offset + 1)
                .put("hasPrevPage", offset > 0).put("hasNextPage", offset + limit < total);
        if (offset > 0) {
            body.put("prevPage", page - 1);
        } else {
            body.putNull("prevPage");
        }
        if (offset + limit < total) {
            body.put("nextPage", page + 1);
        } else {
            body.putNull("nextPage");
        }
        send(exchange, 200, body);
    }

    private static ArrayNode page(List<EventHistory.Document> found, int offset, int limit) {
        ArrayNode docs = ServerMessages.MAPPER.createArrayNode();
        for (int i = offset; i < Math.min(found.size(), offset + limit); i++) {
            docs.add(found.get(i).json().deepCopy());
        }
        return docs;
    }

    /** {@code types=a&types=b}, or one value written as {@code ["a","b"]}. */
    private static List<String> types(List<String> values) {
        List<String> types = new ArrayList<>();
        for (String value : values) {
            String trimmed = value.trim();
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                for (String part : trimmed.substring(1, trimmed.length() - 1).split(",")) {
                    types.add(part.trim().replace("\"", ""));
                }
            } else {
                types.add(trimmed);
            }
        }
        return types;
    }

    /** Milliseconds since the epoch, or an ISO 8601 date or date-time; null when neither. */
    private static Long time(Map<String, List<String>> query, String name) {
        String value = first(query, name);
        if (value == null) {
            return null;
        }
        if (value.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(value);
        }
        long ms = EventHistory.epochMs(value);
        if (ms != Long.MIN_VALUE) {
            return ms;
        }
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer number(Map<String, List<String>> query, String name, int min, int max) {
        try {
            int value = Integer.parseInt(first(query, name));
            return value < min || value > max ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** REST.md quirk 2: every parameter sent empty is refused. */
    private static ObjectNode emptyParameter(Map<String, List<String>> query) {
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            if (entry.getValue().stream().anyMatch(String::isEmpty)) {
                return validation(entry.getKey(), "\"" + entry.getKey() + "\" is not allowed to be empty");
            }
        }
        return null;
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** The Joi-style 400 body of REST.md §3.2. */
    private static ObjectNode validation(String parameter, String message) {
        ObjectNode body = error(400, "Bad Request", message);
        ObjectNode detail = body.putArray("details").addObject();
        detail.putArray("path").add(parameter);
        detail.put("message", message);
        return body;
    }

    private static ObjectNode error(int status, String error, String message) {
        ObjectNode body = ServerMessages.MAPPER.createObjectNode().put("statusCode", status).put("error", error);
        if (message != null) {
            body.put("message", message);
        }
        return body;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = ServerMessages.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
