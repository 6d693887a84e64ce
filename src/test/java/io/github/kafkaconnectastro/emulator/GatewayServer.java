package io.github.kafkaconnectastro.emulator;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import javax.net.ssl.SSLContext;

/**
 * The Java-WebSocket server under {@link AstroEmulator}. It only forwards callbacks; keeping it
 * separate stops the library's large public API (and its instance {@code start()}, which would
 * clash with {@code AstroEmulator.start()}) from leaking into the emulator's API.
 */
final class GatewayServer extends WebSocketServer {

    /** Two decoders are plenty for tests and keep the thread count low. */
    private static final int DECODER_THREADS = 2;

    private final AstroEmulator emulator;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startupFailure;

    GatewayServer(AstroEmulator emulator, int port, SSLContext tls) {
        super(new InetSocketAddress("127.0.0.1", port), DECODER_THREADS,
                List.<Draft>of(new RefusingDraft()));
        this.emulator = emulator;
        if (tls != null) {
            setWebSocketFactory(new DefaultSSLWebSocketServerFactory(tls));
        }
        // Lets a test restart an emulator on the port it just released.
        setReuseAddr(true);
        setTcpNoDelay(true);
        // Threads must never keep a test JVM alive if someone forgets close().
        setDaemon(true);
        // The library's own ping timer cannot be silenced per connection; the emulator pings itself.
        setConnectionLostTimeout(0);
    }

    /** True when it serves wss://. */
    boolean tls() {
        return getWebSocketFactory() instanceof DefaultSSLWebSocketServerFactory;
    }

    /** Starts listening and waits until the port is bound. */
    void startAndAwait(long timeoutMillis) throws Exception {
        start();
        if (!started.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("emulator did not start within " + timeoutMillis + " ms");
        }
        if (startupFailure != null) {
            throw startupFailure;
        }
    }

    /** Waits for the decoder threads, which the library only interrupts on shutdown. */
    void joinWorkers(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (WebSocketWorker worker : decoders) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                worker.join(left);
            }
        }
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder refusal = emulator.handleHandshake(conn, request);
        return refusal != null ? refusal
                : super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        emulator.handleOpen(conn, handshake);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        emulator.handleClose(conn, code, remote);
    }

    /** Called with remote true when a client's close frame arrives on an open connection. */
    @Override
    public void onClosing(WebSocket conn, int code, String reason, boolean remote) {
        if (remote) {
            emulator.handleClientCloseFrame(conn, code);
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        emulator.handleText(conn, message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        // Astro is text-only; a binary frame from a client is ignored, as the real gateway does.
    }

    @Override
    public void onWebsocketPing(WebSocket conn, Framedata ping) {
        // A silent (half-open) gateway must not even answer pings.
        if (!emulator.isSilent()) {
            super.onWebsocketPing(conn, ping);
        }
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata pong) {
        emulator.handlePong(conn);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null && started.getCount() > 0) {
            // Bind failures arrive here before onStart, on the selector thread.
            startupFailure = ex;
            started.countDown();
        }
    }
}
