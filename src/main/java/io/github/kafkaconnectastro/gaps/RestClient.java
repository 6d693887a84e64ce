package io.github.kafkaconnectastro.gaps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kafkaconnectastro.protocol.TokenType;
import io.github.kafkaconnectastro.util.SharedHttpClients;
import org.apache.kafka.common.config.types.Password;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.Optional;

/**
 * GETs JSON from StreamElements' REST API ("kappa" v2) with the task's token, in the {@code Authorization} scheme
 * StreamElements documents for its kind: {@code Bearer} for a JWT, {@code oAuth} for an OAuth2 access token, {@code apikey}
 * for an overlay token (which the list endpoints refuse with 403).
 *
 * <p>The HTTP client is the worker's {@linkplain SharedHttpClients shared} one, leased at the first request (a task
 * that never repairs leases none) and released at {@link #close()}.
 */
final class RestClient implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final SharedHttpClients.OnFirstUse http;
    private final String base;
    private final Supplier<Password> token;
    private final TokenType tokenType;
    private final RepairBounds bounds;

    RestClient(URI restUrl, Supplier<Password> token, TokenType tokenType, RepairBounds bounds) {
        String text = restUrl.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = token;
        this.tokenType = tokenType;
        this.bounds = bounds;
        this.http = new SharedHttpClients.OnFirstUse(bounds.readTimeout());
    }

    /** Releases the shared client; a request after this finds no answer. */
    @Override
    public void close() {
        http.close();
    }

    private HttpClient http() throws RestFailure {
        return http.http().orElseThrow(() -> new RestFailure(RestFailure.NO_ANSWER, -1,
                "the task stops; " + base + " is not called"));
    }

    /** The {@code Authorization} header's value; a secret. */
    static String authorization(TokenType type, String token) {
        return switch (type) {
            case JWT -> "Bearer " + token;
            case OAUTH2, OAUTH -> "oAuth " + token;
            case APIKEY -> "apikey " + token;
        };
    }

    /**
     * @param path  relative to the base, e.g. {@code /tips/<channel>}
     * @param query parameters in order; a list value is sent as repeated parameters
     */
    JsonNode get(String path, Map<String, ?> query) throws RestFailure, InterruptedException {
        URI uri = URI.create(base + path + "?" + queryText(query));
        Password current = token.get();
        if (current == null) {
            throw new RestFailure(RestFailure.NO_ANSWER, -1, "no access token yet to call " + base + " with");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(bounds.readTimeout())
                .header("Accept", "application/json")
                .header("Authorization", authorization(tokenType, current.value()))
                .GET().build();
        HttpResponse<byte[]> response = send(request, path);
        int status = response.statusCode();
        if (status != 200) {
            throw new RestFailure(status, retryAfterMs(response.headers().firstValue("Retry-After")),
                    "HTTP " + status + " from GET " + base + path + hint(status));
        }
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new RestFailure(status, -1, "GET " + base + path + " answered 200 with a body that is not JSON");
        }
    }

    /**
     * Sends the request and reads the body within the read deadline and byte limit. The request's own timeout ends
     * with the headers, so a body trickled a byte at a time would otherwise hold the repair thread for ever.
     */
    private HttpResponse<byte[]> send(HttpRequest request, String path) throws RestFailure, InterruptedException {
        AtomicBoolean headersRead = new AtomicBoolean();
        // Only a 200's body is read: any other status is judged by its status and headers alone.
        HttpResponse.BodyHandler<byte[]> handler = info -> {
            headersRead.set(true);
            return info.statusCode() == 200 ? new BoundedBody(bounds.maxResponseBytes())
                    : HttpResponse.BodySubscribers.replacing(new byte[0]);
        };
        CompletableFuture<HttpResponse<byte[]>> exchange = http().sendAsync(request, handler);
        try {
            return exchange.get(bounds.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            exchange.cancel(true);
            if (!headersRead.get()) {
                throw new RestFailure(RestFailure.NO_ANSWER, -1, "no answer from " + base + " within "
                        + bounds.readTimeout().toMillis() + " ms");
            }
            throw RestFailure.runaway(RunawayCause.DEADLINE, "GET " + base + path + " was still sending its body "
                    + bounds.readTimeout().toMillis() + " ms after the request");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof BoundedBody.TooLarge) {
                throw RestFailure.runaway(RunawayCause.BYTES, "GET " + base + path + " answered with a body longer "
                        + "than " + bounds.maxResponseBytes() + " bytes");
            }
            throw new RestFailure(RestFailure.NO_ANSWER, -1, "no answer from " + base + " (" + cause + ")");
        }
    }

    private String hint(int status) {
        if (status == 401 || status == 403) {
            return " (check astro.token and astro.token.type: the list endpoints take a JWT or an OAuth2 token with "
                    + "activities:read / tips:read, not an overlay token; this token is a " + tokenType.wire() + ")";
        }
        if (status == 400) {
            return " (the API refused the query; please report it with this line)";
        }
        return "";
    }

    private static long retryAfterMs(Optional<String> header) {
        if (header.isEmpty()) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.get().trim())) * 1000;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String queryText(Map<String, ?> query) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, ?> entry : query.entrySet()) {
            List<?> values = entry.getValue() instanceof List<?> list ? list : List.of(entry.getValue());
            for (Object value : values) {
                if (!text.isEmpty()) {
                    text.append('&');
                }
                text.append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }
}
