package io.github.kafkaconnectastro.bench;

import io.github.kafkaconnectastro.config.AstroAdvancedConfig;
import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.Ulid;
import io.github.kafkaconnectastro.protocol.AstroCodec;
import io.github.kafkaconnectastro.transport.ConnectorDrafts;
import io.github.kafkaconnectastro.transport.IgnoringListener;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.Framedata;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Micro-benchmarks of the socket reader's frame layer, per text frame: the bytes as one socket read brings them
 * ({@value #FRAMES_PER_READ} server frames, unmasked) through the draft's {@code translateFrame} and
 * {@code processFrame}, to the {@code String} the listener gets; and, for the share of the reader's work that is,
 * the same followed by the connector's decoding of each text ({@link HotPathBenchmark#decode()}).
 *
 * <p>{@code library} is Java-WebSocket 1.6.0's own {@link Draft_6455}; {@code connector} is the draft each
 * {@code AstroSocket} uses. {@code tip} is the end-to-end benchmark's 402-byte frame, ASCII only; {@code nonAscii}
 * the same tip whose message holds accented letters, a dash and an emoji. Run with
 * {@code bench/run.sh --jmh ReaderBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReaderBenchmark {

    private static final int FRAMES_PER_READ = 32;
    private static final int MAX_MESSAGE_BYTES = 4 * 256 * 1024;
    private static final String ROOM = "bench-conn";
    private static final String NON_ASCII_NOTE = "Danke schön für den Tipp — ¡gracias, señor! 🎉";

    @Param({"library", "connector"})
    public String draft;

    @Param({"tip", "nonAscii"})
    public String payload;

    private final AstroCodec codec = new AstroCodec(AstroAdvancedConfig.JSON_MAX_NESTING_DEPTH.defaultValue());
    private WebSocketImpl socket;
    private Draft frames;
    private final Received received = new Received();
    private ByteBuffer read;

    @Setup(Level.Trial)
    public void setUp() {
        frames = "library".equals(draft) ? new Draft_6455().copyInstance()
                : ConnectorDrafts.connectorDraft(MAX_MESSAGE_BYTES);
        socket = new WebSocketImpl(received, frames);
        ByteBuffer bytes = ByteBuffer.allocate(FRAMES_PER_READ * 1024);
        for (int i = 0; i < FRAMES_PER_READ; i++) {
            writeFrame(bytes, frame(i).getBytes(StandardCharsets.UTF_8));
        }
        read = bytes.flip();
    }

    /** One text frame as the benchmark sends it, or, for {@code nonAscii}, with a note that is not ASCII. */
    String frame(int seq) {
        String data = BenchPayload.data(ROOM, seq, BenchPayload.nanos());
        if ("nonAscii".equals(payload)) {
            data = data.replace("\"currency\":\"USD\"", "\"currency\":\"USD\",\"note\":\"" + NON_ASCII_NOTE + "\"");
        }
        return AstroEmulator.notificationFrame(Ulid.nextId(), Instant.now(), BenchPayload.TOPIC, ROOM, data);
    }

    /** A final, unmasked text frame, as a server writes it. */
    private static void writeFrame(ByteBuffer out, byte[] text) {
        out.put((byte) 0x81);
        if (text.length < 126) {
            out.put((byte) text.length);
        } else {
            out.put((byte) 126).putShort((short) text.length);
        }
        out.put(text);
    }

    /** One socket read's frames, bytes to the listener's strings; the time is per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES_PER_READ)
    public long readFrames() throws InvalidDataException {
        received.chars = 0;
        for (Framedata frame : frames.translateFrame(read.duplicate())) {
            frames.processFrame(socket, frame);
        }
        if (received.chars == 0) {
            throw new IllegalStateException("no text reached the listener");
        }
        return received.chars;
    }

    /** As {@link #readFrames()}, each text then decoded by the connector's codec, as the socket's reader does. */
    @Benchmark
    @OperationsPerInvocation(FRAMES_PER_READ)
    public long readFramesAndDecode() throws InvalidDataException {
        received.codec = codec;
        return readFrames();
    }

    /** The listener: counts what it gets, so that nothing is optimized away, and decodes it if told to. */
    static final class Received extends IgnoringListener {
        long chars;
        AstroCodec codec;

        @Override
        public void onWebsocketMessage(WebSocket conn, String message) {
            chars += message.length();
            if (codec != null && codec.decode(message) == null) {
                throw new IllegalStateException("nothing decoded");
            }
        }

        @Override
        public void onWebsocketError(WebSocket conn, Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
