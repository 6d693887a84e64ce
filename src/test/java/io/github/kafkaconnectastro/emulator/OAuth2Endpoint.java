package io.github.kafkaconnectastro.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * StreamElements' OAuth2 token endpoint ({@code POST /oauth2/token}, REST.md §8), serving the refresh grant over
 * HTTP on 127.0.0.1 beside an {@link AstroEmulator}, whose gateway then accepts each access token until it expires.
 * Access tokens live as long as a test says (seconds); every refresh token works once and is replaced by a new one
 * on use, as the documents' example shows. The documents say the refresh token is replaced only "sometimes": always
 * replacing it is the stricter reading. A used, unknown or revoked refresh token gets {@code 400 invalid_grant},
 * wrong client credentials {@code 401 invalid_client} (RFC 6749 §5.2 codes; StreamElements documents no error body).
 */
public final class OAuth2Endpoint implements AutoCloseable {

    public static final String PATH = "/oauth2/token";

    private final AstroEmulator gateway;
    private final String clientId;
    /** The client secrets accepted now: one, or two while a test rotates it. */
    private volatile Set<String> clientSecrets;
    private final String ownRoom;
    private final HttpServer server;
    private final Set<String> liveRefreshTokens = new HashSet<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile Duration accessTokenLifetime = Duration.ofDays(7);
    /** The JSON of expires_in in the answers, as is; null: the lifetime's seconds. */
    private volatile String expiresInJson;
    private volatile boolean expiresInOmitted;
    private final AtomicInteger answersWithoutAccessToken = new AtomicInteger();
    private volatile Duration answerDelay = Duration.ZERO;
    private final AtomicInteger inFlight = new AtomicInteger();

    private OAuth2Endpoint(AstroEmulator gateway, String clientId, String clientSecret, String ownRoom)
            throws IOException {
        this.gateway = gateway;
        this.clientId = clientId;
        this.clientSecrets = Set.of(clientSecret);
        this.ownRoom = ownRoom;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext(PATH, this::handle);
    }

    /** Starts an endpoint for one OAuth2 client whose tokens belong to {@code ownRoom}. */
    public static OAuth2Endpoint start(AstroEmulator gateway, String clientId, String clientSecret, String ownRoom) {
        try {
            OAuth2Endpoint endpoint = new OAuth2Endpoint(gateway, clientId, clientSecret, ownRoom);
            endpoint.server.start();
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the OAuth2 endpoint", e);
        }
    }

    /** {@code http://127.0.0.1:<port>/oauth2/token}. */
    public URI tokenUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** How long the access tokens of later refreshes live ({@code expires_in}); 7 days by default, as documented. */
    public void setAccessTokenLifetime(Duration lifetime) {
        accessTokenLifetime = lifetime;
    }

    /**
     * From now on these client secrets, and only these, are accepted, as when the secret is rotated at
     * StreamElements; the refresh tokens stay valid.
     */
    public void acceptClientSecrets(String... secrets) {
        clientSecrets = Set.of(secrets);
    }

    /** A new refresh token, as the authorization-code exchange hands out; it works once. */
    public synchronized String issueRefreshToken() {
        String token = "ort-" + Ulid.nextId();
        liveRefreshTokens.add(token);
        return token;
    }

    /** The refresh tokens that would work now: those issued or handed out and not yet used. */
    public synchronized Set<String> liveRefreshTokens() {
        return Set.copyOf(liveRefreshTokens);
    }

    /** Refreshes answered with new tokens. */
    public int refreshCount() {
        return refreshes.get();
    }

    /**
     * Answers each later refresh this much later, after it has used up the refresh token presented and issued the
     * new one: an endpoint slow to answer, whose answer is still on its way when the client is stopped.
     */
    public void setAnswerDelay(Duration delay) {
        answerDelay = delay;
    }

    /** Requests being handled now: received, not yet answered (during an {@link #setAnswerDelay answer delay}). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Refreshes refused (used or unknown refresh token, wrong client). */
    public int refusalCount() {
        return refusals.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"invalid_request\"}");
                return;
            }
            Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            if (!"refresh_token".equals(form.get("grant_type"))) {
                refusals.incrementAndGet();
                respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            if (!clientId.equals(form.get("client_id"))
                    || !clientSecrets.contains(form.getOrDefault("client_secret", ""))) {
                refusals.incrementAndGet();
                respond(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String next = exchange(form.get("refresh_token"));
            if (next == null) {
                refusals.incrementAndGet();
                respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"invalid refresh token\"}");
                return;
            }
            Duration lifetime = accessTokenLifetime;
            String access = "oat-" + Ulid.nextId();
            gateway.acceptTokenUntil(access, ownRoom, Instant.now().plus(lifetime));
            refreshes.incrementAndGet();
            String accessField = answersWithoutAccessToken.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? ""
                    : "\"access_token\":\"" + access + "\",";
            String expiresField = expiresInOmitted ? "" : "\"expires_in\":"
                    + (expiresInJson != null ? expiresInJson : String.valueOf(lifetime.toSeconds())) + ",";
            pause(answerDelay);
            respond(exchange, 200, "{" + accessField + "\"token_type\":\"Bearer\"," + expiresField
                    + "\"refresh_token\":\"" + next + "\",\"scope\":\"channel:read activities:read tips:read\"}");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers with this JSON text as expires_in (e.g. {@code "soon"} with its quotes, {@code 0}, {@code 1e30}). */
    public void answerExpiresIn(String json) {
        expiresInOmitted = false;
        expiresInJson = json;
    }

    /** Answers without expires_in. */
    public void answerWithoutExpiresIn() {
        expiresInOmitted = true;
    }

    /** The next {@code count} successful answers carry a new refresh token but no access token. */
    public void answerWithoutAccessToken(int count) {
        answersWithoutAccessToken.set(count);
    }

    /** Uses up a refresh token; its successor, or null when it was not live. */
    private synchronized String exchange(String presented) {
        if (presented == null || !liveRefreshTokens.remove(presented)) {
            return null;
        }
        String next = "ort-" + Ulid.nextId();
        liveRefreshTokens.add(next);
        return next;
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }
}
