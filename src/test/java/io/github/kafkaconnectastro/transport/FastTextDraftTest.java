package io.github.kafkaconnectastro.transport;

import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FastTextDraft} against Java-WebSocket 1.6.0's own {@link Draft_6455}: the same bytes, whole or cut into
 * reads of many sizes, give the same messages, and the same refusal with the same close code.
 */
class FastTextDraftTest {

    private static final int MAX_FRAME = 100_000;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final String NON_ASCII = "Danke schön — ¡señor! 🎉";

    static Stream<Object[]> streams() {
        byte[] emoji = "🎉".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                stream("ASCII, short", text("{\"type\":\"pong\"}")),
                stream("empty text", frame(true, TEXT, new byte[0])),
                stream("402 bytes, 16-bit length", text("x".repeat(402))),
                stream("70,000 bytes, 64-bit length", text("y".repeat(70_000))),
                stream("non-ASCII", text(NON_ASCII)),
                stream("several frames in a row", text("a"), text(NON_ASCII), text("b".repeat(300)), text("c")),
                stream("masked", masked(frame(true, TEXT, NON_ASCII.getBytes(StandardCharsets.UTF_8)))),
                stream("binary", frame(true, BINARY, new byte[] {1, 2, 3})),
                stream("a listener that fails on a text", text(Recorder.FAIL), text("after")),
                stream("overlong", frame(true, TEXT, hex("7bc0af7d"))),
                stream("surrogate", frame(true, TEXT, hex("7beda0807d"))),
                stream("over U+10FFFF", frame(true, TEXT, hex("f4908080"))),
                stream("stray continuation byte", frame(true, TEXT, hex("41804142"))),
                stream("cut at the frame's end", frame(true, TEXT, hex("4142f09f8e"))),
                stream("invalid after a valid frame", text("ok"), frame(true, TEXT, hex("ff")), text("never")),
                stream("fragmented, an emoji across fragments",
                        frame(false, TEXT, concat("{\"a\":\"".getBytes(StandardCharsets.UTF_8), part(emoji, 0, 2))),
                        frame(false, CONTINUATION, part(emoji, 2, 3)),
                        frame(true, CONTINUATION, concat(part(emoji, 3, 4), "\"}".getBytes(StandardCharsets.UTF_8))),
                        text("after")),
                stream("fragmented, a ping between",
                        frame(false, TEXT, "ab".getBytes(StandardCharsets.UTF_8)), frame(true, PING, new byte[] {7}),
                        frame(true, CONTINUATION, "cd".getBytes(StandardCharsets.UTF_8))),
                stream("fragmented, invalid in the first fragment", frame(false, TEXT, hex("41c0af")),
                        frame(true, CONTINUATION, hex("41"))),
                stream("fragmented, invalid in a continuation", frame(false, TEXT, hex("41")),
                        frame(true, CONTINUATION, hex("eda080"))),
                stream("fragmented, cut at the message's end", frame(false, TEXT, hex("41")),
                        frame(true, CONTINUATION, hex("e282"))),
                stream("a continuation never started", frame(true, CONTINUATION, hex("41"))),
                stream("a whole text inside a fragmented one", frame(false, TEXT, hex("41")), text("inside")),
                stream("a second fragmented text inside one", frame(false, TEXT, hex("41")), frame(false, TEXT, hex("42"))),
                stream("a ping of 126 bytes", frame(true, PING, new byte[126])),
                stream("a fragmented ping", frame(false, PING, new byte[] {1})),
                stream("unknown opcode", frame(true, 0x3, hex("41"))),
                stream("reserved bit 1", withReservedBit(frame(true, TEXT, hex("41")), 0x40)),
                stream("reserved bit 3", withReservedBit(text(NON_ASCII), 0x10)),
                stream("over the frame limit, header only", WireFrames.header(true, TEXT, MAX_FRAME + 1)),
                stream("over Integer.MAX_VALUE, header only", WireFrames.header(true, TEXT, 1L << 40)),
                stream("a negative length", WireFrames.header(true, TEXT, -5)),
                stream("a close code not allowed on the wire", frame(true, CLOSE, new byte[] {0x03, (byte) 0xE7})),
                stream("a one-byte close payload", frame(true, CLOSE, new byte[] {1})),
                stream("a close reason not UTF-8", frame(true, CLOSE, hex("03e8c0af"))));
    }

    /**
     * The library reads a whole socket read into frames before it hands any on, and refuses invalid UTF-8 while
     * reading: the valid frames before a refused one in the same read are dropped, in some reads and not others.
     * The connector's draft checks UTF-8 as it hands each frame on, so it gives what the library gives when every
     * frame comes in a read of its own (reads of one byte), whatever the reads; the refusal is the same.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void givesWhatTheLibraryGivesFrameByFrameWhateverTheReads(String name, byte[] bytes) {
        Outcome frameByFrame = run(new Draft_6455(Collections.emptyList(), MAX_FRAME).copyInstance(), bytes, 1);
        for (int read : new int[] {bytes.length, 1, 2, 3, 5, 11, 130, 4096}) {
            Outcome library = run(new Draft_6455(Collections.emptyList(), MAX_FRAME).copyInstance(), bytes, read);
            Outcome connector = run(new FastTextDraft(MAX_FRAME).copyInstance(), bytes, read);
            assertEquals(frameByFrame, connector, name + ", in reads of " + read + " bytes");
            assertEquals(library.failure(), connector.failure(), name + ", in reads of " + read + " bytes");
            assertEquals(library.events(), connector.events().subList(0, library.events().size()),
                    name + ", in reads of " + read + " bytes");
        }
    }

    @Test
    void theTextsArriveWholeWhenEveryFrameIsSplitAcrossReads() {
        byte[] bytes = concat(text("a".repeat(125)), text(NON_ASCII), text("z".repeat(70_000)));
        for (int read = 1; read < 20; read++) {
            Outcome outcome = run(new FastTextDraft(MAX_FRAME).copyInstance(), bytes, read);
            assertEquals(List.of("text " + "a".repeat(125), "text " + NON_ASCII, "text " + "z".repeat(70_000)),
                    outcome.events(), "reads of " + read);
            assertEquals(null, outcome.failure());
        }
    }

    @Test
    void aRefusedTextClosesWith1007AndStopsTheRead() {
        Outcome outcome = run(new FastTextDraft(MAX_FRAME).copyInstance(),
                concat(text("ok"), frame(true, TEXT, hex("c0af")), text("never")), Integer.MAX_VALUE);
        assertEquals(List.of("text ok"), outcome.events());
        assertEquals("InvalidDataException 1007", outcome.failure());
    }

    /** What a connection's reader saw: the messages, in order, then the exception that stopped it, if any. */
    record Outcome(List<String> events, String failure) {
    }

    /**
     * Feeds the bytes to the draft in reads of {@code read} bytes as {@code WebSocketClient} and
     * {@code WebSocketImpl.decodeFrames} do: into one array, reused (here spoiled after each read, so that a frame
     * kept past its read would show), each read's frames handed on before the next read.
     */
    private static Outcome run(Draft draft, byte[] bytes, int read) {
        Recorder recorder = new Recorder();
        WebSocketImpl socket = new WebSocketImpl(recorder, draft);
        byte[] raw = new byte[Math.max(1, Math.min(read, bytes.length))];
        try {
            for (int at = 0; at < bytes.length; at += read) {
                int length = Math.min(raw.length, bytes.length - at);
                System.arraycopy(bytes, at, raw, 0, length);
                for (Framedata frame : draft.translateFrame(ByteBuffer.wrap(raw, 0, length))) {
                    draft.processFrame(socket, frame);
                }
                Arrays.fill(raw, (byte) 0xFF);
            }
            return new Outcome(recorder.events, null);
        } catch (org.java_websocket.exceptions.InvalidDataException e) {
            return new Outcome(recorder.events, e.getClass().getSimpleName() + " " + e.getCloseCode());
        } catch (RuntimeException e) {
            return new Outcome(recorder.events, e.getClass().getName());
        }
    }

    private static final class Recorder extends IgnoringListener {
        /** A text the listener fails on. */
        static final String FAIL = "fail here";
        final List<String> events = new ArrayList<>();

        @Override
        public void onWebsocketMessage(WebSocket conn, String message) {
            events.add("text " + message);
            if (FAIL.equals(message)) {
                throw new IllegalStateException("the listener failed");
            }
        }

        @Override
        public void onWebsocketMessage(WebSocket conn, ByteBuffer blob) {
            events.add("binary " + HexFormat.of().formatHex(blob.array(), blob.position(), blob.limit()));
        }

        @Override
        public void onWebsocketPing(WebSocket conn, Framedata f) {
            events.add("ping " + f.getPayloadData().remaining());
        }

        @Override
        public void onWebsocketClose(WebSocket ws, int code, String reason, boolean remote) {
            events.add("close " + code);
        }

        @Override
        public void onWebsocketError(WebSocket conn, Exception ex) {
            events.add("error " + ex);
        }
    }

    private static Object[] stream(String name, byte[]... frames) {
        return new Object[] {name, concat(frames)};
    }

    private static byte[] text(String text) {
        return frame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An unmasked frame, as a server writes it. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return concat(WireFrames.header(fin, opcode, payload.length), payload);
    }

    /** The same frame with its mask bit set, its payload masked with a fixed key. */
    private static byte[] masked(byte[] frame) {
        int lengthBytes = (frame[1] & 0x7F) == 126 ? 2 : (frame[1] & 0x7F) == 127 ? 8 : 0;
        int headerEnd = 2 + lengthBytes;
        byte[] key = {0x37, (byte) 0xFA, 0x21, 0x3D};
        byte[] payload = Arrays.copyOfRange(frame, headerEnd, frame.length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= key[i % 4];
        }
        byte[] header = Arrays.copyOf(frame, headerEnd);
        header[1] |= (byte) 0x80;
        return concat(header, key, payload);
    }

    private static byte[] withReservedBit(byte[] frame, int bit) {
        byte[] copy = frame.clone();
        copy[0] |= (byte) bit;
        return copy;
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] part(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
