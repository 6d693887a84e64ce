package io.github.kafkaconnectastro.transport;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.session.SessionSettings;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The socket's own threads log with the context of the thread that created the socket. */
class AstroSocketLogContextTest {

    private static final String KEY = "connector.context";
    private static final String CONTEXT = "[astro|task-0] ";

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private AstroEmulator emulator;

    @AfterEach
    void stop() {
        MDC.clear();
        if (emulator != null) {
            emulator.close();
        }
    }

    private AstroSocket.Listener recorder() {
        return new AstroSocket.Listener() {
            @Override
            public void onOpen(AstroSocket socket) {
                seen.add("open " + MDC.get(KEY));
            }

            @Override
            public void onText(AstroSocket socket, String text) {
                seen.add("text " + MDC.get(KEY));
            }

            @Override
            public void onBinary(AstroSocket socket, int bytes) {
                seen.add("binary " + MDC.get(KEY));
            }

            @Override
            public void onClosed(AstroSocket socket, int code, String reason, boolean remote) {
                seen.add("closed " + MDC.get(KEY));
                closed.countDown();
            }

            @Override
            public void onError(AstroSocket socket, Exception error) {
                seen.add("error " + MDC.get(KEY));
            }
        };
    }

    private AstroSocket create(URI uri) {
        SessionSettings settings = settings(uri);
        return AstroSocket.create(uri, recorder(), settings.transport(), settings.connectTimeout(), 1 << 20);
    }

    private static SessionSettings settings(URI uri) {
        return new AstroSourceConnectorConfig(Map.of("astro.url", uri.toString(), "astro.token", "log-context-token",
                "astro.subscriptions", "channel.tips", "astro.connect.timeout.ms", "10000")).sessionSettings();
    }

    @Test
    void callbacksOfAnOpenConnectionCarryTheCreatorsContext() throws Exception {
        emulator = AstroEmulator.start();
        MDC.put(KEY, CONTEXT);
        AstroSocket socket = create(emulator.uri());
        MDC.clear();
        assertTrue(socket.connectBlocking(5, TimeUnit.SECONDS));
        assertTrue(emulator.awaitConnections(1, Duration.ofSeconds(5)));
        emulator.sendBinaryToAll(new byte[] {1, 2});
        emulator.dropAllConnections();
        assertTrue(closed.await(5, TimeUnit.SECONDS));

        assertTrue(seen.containsAll(List.of("open " + CONTEXT, "text " + CONTEXT, "binary " + CONTEXT,
                "closed " + CONTEXT)), seen.toString());
        assertTrue(seen.stream().allMatch(s -> s.endsWith(CONTEXT)), seen.toString());
        assertNull(MDC.get(KEY), "the calling thread's own context is left alone");
    }

    @Test
    void aFailedConnectionAttemptReportsWithTheContextToo() throws Exception {
        int freePort;
        try (ServerSocket server = new ServerSocket(0)) {
            freePort = server.getLocalPort();
        }
        MDC.put(KEY, CONTEXT);
        URI nobody = URI.create("ws://127.0.0.1:" + freePort);
        AstroSocket socket = create(nobody);
        MDC.put(KEY, "[other|task-9] ");
        assertFalse(socket.connectBlocking(5, TimeUnit.SECONDS));
        assertTrue(closed.await(5, TimeUnit.SECONDS));

        assertTrue(seen.contains("error " + CONTEXT), seen.toString());
        assertTrue(seen.stream().allMatch(s -> s.endsWith(CONTEXT)), seen.toString());
        assertEquals("[other|task-9] ", MDC.get(KEY));
    }
}
