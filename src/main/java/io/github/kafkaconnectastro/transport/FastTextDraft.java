package io.github.kafkaconnectastro.transport;

import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.Framedata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;

/**
 * An RFC 6455 draft that checks a text frame's UTF-8 once, in the pass that decodes it. Java-WebSocket 1.6.0 checks
 * every text frame twice, with its UTF-8 automaton when it reads the frame and with a strict decoder when it hands
 * the text on; the automaton alone took 32 to 44 % of the socket reader's CPU in the profiles of docs/performance.md.
 *
 * <p>The frames are read by a {@link FrameTranslator} (the library's reading, without the automaton) and a whole
 * text frame is decoded by {@link Utf8Text}: refused UTF-8 throws the library's exception, so the connection is
 * closed with 1007 as before. Everything else is the library's {@code processFrame}: control frames, binary
 * messages, and fragmented messages, whose first text fragment and whole text it checks as it always did. A whole
 * text frame that arrives while a fragmented message is open goes to the library too, which refuses it (1002).
 *
 * <p>Java-WebSocket uses a {@link #copyInstance()} per connection, so each connection has its own reading state;
 * it is the socket's reader thread's alone.
 */
class FastTextDraft extends Draft_6455 {

    /** The library's logger, so that its configuration still applies to what it logged here. */
    private static final Logger LIBRARY_LOG = LoggerFactory.getLogger(Draft_6455.class);

    private final FrameTranslator translator;
    private final Utf8Text utf8 = new Utf8Text();
    private boolean inFragmentedMessage;

    FastTextDraft(int maxFrameSize) {
        super(Collections.emptyList(), maxFrameSize);
        translator = new FrameTranslator(maxFrameSize, this::getExtension);
    }

    @Override
    public List<Framedata> translateFrame(ByteBuffer buffer) throws InvalidDataException {
        return translator.translate(buffer);
    }

    @Override
    public void processFrame(WebSocketImpl webSocketImpl, Framedata frame) throws InvalidDataException {
        Opcode opcode = frame.getOpcode();
        if (opcode == Opcode.TEXT && frame.isFin() && !inFragmentedMessage) {
            String text = utf8.decode(frame.getPayloadData());
            try {
                webSocketImpl.getWebSocketListener().onWebsocketMessage(webSocketImpl, text);
            } catch (RuntimeException e) {
                // As the library: a listener's failure is logged and reported, and the connection stays open.
                LIBRARY_LOG.error("Runtime exception during onWebsocketMessage", e);
                webSocketImpl.getWebSocketListener().onWebsocketError(webSocketImpl, e);
            }
            return;
        }
        if (!frame.isFin() && (opcode == Opcode.TEXT || opcode == Opcode.BINARY)) {
            inFragmentedMessage = true;
        } else if (frame.isFin() && opcode == Opcode.CONTINUOUS) {
            inFragmentedMessage = false;
        }
        super.processFrame(webSocketImpl, frame);
    }

    /**
     * Forgets an incomplete frame, as the library's reset does. An open fragmented message is not forgotten, as the
     * library does not forget it either.
     */
    @Override
    public void reset() {
        super.reset();
        translator.reset();
    }

    @Override
    public Draft copyInstance() {
        return new FastTextDraft(getMaxFrameSize());
    }
}
