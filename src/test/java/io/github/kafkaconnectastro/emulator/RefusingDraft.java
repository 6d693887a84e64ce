package io.github.kafkaconnectastro.emulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeBuilder;
import org.java_websocket.handshake.Handshakedata;
import org.java_websocket.handshake.HandshakeImpl1Server;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;

/**
 * RFC 6455 draft that can answer an upgrade request with a plain HTTP error.
 *
 * <p>Java-WebSocket has no public way to refuse a handshake with a chosen status: throwing
 * {@code InvalidDataException} from {@code onWebsocketHandshakeReceivedAsServer} always writes a
 * hard-coded "404 WebSocket Upgrade Failure", and {@link Draft#createHandshake(Handshakedata,
 * boolean)} always writes "HTTP/1.1 101". So the server returns a response whose status is set to
 * the refusal code, and this draft writes that response verbatim instead of the upgrade.
 * The library still considers the connection opened afterwards; the server closes it at once
 * without a close frame (see {@link #isRefusal(Handshakedata)}).
 */
final class RefusingDraft extends Draft_6455 {

    /** Builds the response the server hands back to refuse an upgrade. */
    static ServerHandshakeBuilder refusal(int status, Integer retryAfterSeconds) {
        HandshakeImpl1Server response = new HandshakeImpl1Server();
        response.setHttpStatus((short) status);
        response.setHttpStatusMessage(reasonPhrase(status));
        byte[] body = (status + " " + reasonPhrase(status) + "\n").getBytes(StandardCharsets.US_ASCII);
        response.put("Content-Type", "text/plain");
        response.put("Content-Length", Integer.toString(body.length));
        if (retryAfterSeconds != null) {
            response.put("Retry-After", Integer.toString(retryAfterSeconds));
        }
        response.put("Connection", "close");
        response.setContent(body);
        return response;
    }

    /** True for a response built by {@link #refusal(int, Integer)}. */
    static boolean isRefusal(Handshakedata handshake) {
        return handshake instanceof ServerHandshake server && server.getHttpStatus() >= 300;
    }

    @Override
    public HandshakeBuilder postProcessHandshakeResponseAsServer(ClientHandshake request,
            ServerHandshakeBuilder response) throws InvalidHandshakeException {
        if (isRefusal(response)) {
            // No Upgrade/Sec-WebSocket-Accept headers: this is an ordinary HTTP error.
            return response;
        }
        return super.postProcessHandshakeResponseAsServer(request, response);
    }

    @Override
    public List<ByteBuffer> createHandshake(Handshakedata handshake, boolean withContent) {
        if (!isRefusal(handshake)) {
            return super.createHandshake(handshake, withContent);
        }
        ServerHandshake response = (ServerHandshake) handshake;
        StringBuilder head = new StringBuilder("HTTP/1.1 ")
                .append(response.getHttpStatus()).append(' ')
                .append(response.getHttpStatusMessage()).append("\r\n");
        for (Iterator<String> it = response.iterateHttpFields(); it.hasNext(); ) {
            String name = it.next();
            head.append(name).append(": ").append(response.getFieldValue(name)).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] body = response.getContent() == null ? new byte[0] : response.getContent();
        ByteBuffer out = ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body);
        return List.of(out.flip());
    }

    @Override
    public Draft copyInstance() {
        // The server copies its draft for every connection; the copy must keep this behaviour.
        return new RefusingDraft();
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Refused";
        };
    }
}
