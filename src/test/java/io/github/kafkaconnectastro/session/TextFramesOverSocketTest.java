package io.github.kafkaconnectastro.session;

import io.github.kafkaconnectastro.config.AstroSourceConnectorConfig;
import io.github.kafkaconnectastro.transport.AstroSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.github.kafkaconnectastro.session.RawGateway.CONTINUATION;
import static io.github.kafkaconnectastro.session.RawGateway.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text frames over a real socket, through the connector's draft (its UTF-8 checked once): whole frames of every
 * length encoding, ASCII and not, and fragmented messages whose multi-byte characters are cut between fragments,
 * arrive whole and in order, and the connection stays open.
 */
class TextFramesOverSocketTest {

    private static final int CEILING = 1 << 20;

    private RawGateway gateway;
    private AstroSocket socket;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (socket != null) {
            socket.closeGracefully("test over", 200);
        }
    }

    @Test
    void wholeAndFragmentedTextsArriveWholeAndInOrder() throws Exception {
        String tip = "{\"type\":\"tip\",\"data\":{\"username\":\"abc\",\"message\":\"" + "m".repeat(330) + "\"}}";
        String accented = "{\"message\":\"Danke schön für den Tipp — ¡gracias, señor! 🎉\"}";
        String large = "{\"data\":\"" + "ü".repeat(40_000) + "\"}";
        String fragmented = "{\"message\":\"🎉🎉 — é\"}";
        List<String> expected = List.of("{}", tip, accented, large, fragmented, tip);
        byte[] fragmentedBytes = fragmented.getBytes(StandardCharsets.UTF_8);
        gateway = RawGateway.start((c, index) -> {
            for (String text : expected.subList(0, 4)) {
                c.frame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
            }
            // Fragments of one to three bytes: every multi-byte character is cut somewhere.
            int[] cuts = {13, 14, 16, 19, 20, 22, 25, 26, fragmentedBytes.length};
            int from = 0;
            for (int i = 0; i < cuts.length; i++) {
                c.frame(i == cuts.length - 1, i == 0 ? TEXT : CONTINUATION,
                        Arrays.copyOfRange(fragmentedBytes, from, cuts[i]));
                from = cuts[i];
            }
            c.frame(true, TEXT, tip.getBytes(StandardCharsets.UTF_8));
        });
        List<String> texts = new CopyOnWriteArrayList<>();
        List<Exception> errors = new CopyOnWriteArrayList<>();
        CountDownLatch received = new CountDownLatch(expected.size());
        socket = AstroSocket.create(gateway.uri(), new AstroSocket.Listener() {
            @Override
            public void onOpen(AstroSocket s) {
            }

            @Override
            public void onText(AstroSocket s, String text) {
                texts.add(text);
                received.countDown();
            }

            @Override
            public void onBinary(AstroSocket s, int size) {
            }

            @Override
            public void onClosed(AstroSocket s, int code, String reason, boolean remote) {
            }

            @Override
            public void onError(AstroSocket s, Exception error) {
                errors.add(error);
            }
        }, settings(gateway.uri()).build().transport(), Duration.ofSeconds(5), CEILING);

        assertTrue(socket.connectBlocking(5, TimeUnit.SECONDS));
        assertTrue(received.await(10, TimeUnit.SECONDS), "arrived: " + texts.size() + " of " + expected.size());
        assertEquals(expected, new ArrayList<>(texts));
        assertTrue(socket.isOpen());
        assertNull(socket.frameFault());
        assertEquals(List.of(), errors);
    }

    private static SessionSettings.Builder settings(URI uri) {
        return new AstroSourceConnectorConfig(Map.of("astro.url", uri.toString(), "astro.token", "raw-gateway-token",
                "astro.subscriptions", "channel.tips:raw1")).sessionSettingsBuilder();
    }
}
