package io.github.kafkaconnectastro.transport;

import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.IncompleteException;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.extensions.DefaultExtension;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.FramedataImpl1;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Bytes from the socket to frames (RFC 6455, section 5.2), doing what Java-WebSocket 1.6.0's
 * {@code Draft_6455.translateFrame} does, with the same checks in the same order and the library's exception types
 * (which decide its close codes), but for one thing:
 * a text frame's payload is not run through {@code TextFrame.isValid()}, the library's UTF-8 automaton. Its
 * UTF-8 is checked once, where it is decoded ({@link FastTextDraft#processFrame}): a whole text frame by
 * {@link Utf8Text}, a fragmented message's first fragment and whole text by the library's own
 * {@code processFrame}, as before.
 *
 * <p>The library keeps these steps private, so they are written here again rather than called; a new Java-WebSocket version must be
 * compared with this class (FastTextDraftTest pins the behaviour at the edges). Kept from the library: the
 * incomplete frame carried over to the next read (grown to the size its header asks for); an unknown opcode, a
 * control frame over 125 bytes, a length over the draft's limit, over {@code Integer.MAX_VALUE} or negative, all
 * refused from the header alone, before the payload is read; masked payloads unmasked; the reserved bits checked
 * by the negotiated extension (none but the default one for the connector, which refuses them all); every other
 * frame's own {@code isValid()} (a control frame's FIN and reserved bits, a close frame's code and UTF-8 reason).
 *
 * <p>A whole, unmasked text frame's payload is a view of the bytes read, not a copy: its text is decoded into a
 * {@code String} before the next read, since {@code WebSocketImpl.decodeFrames} hands each read's frames to
 * {@code processFrame} at once, and {@link FastTextDraft} decodes a whole text frame there (or the library refuses
 * it, inside a fragmented message) and keeps nothing of it. Fragments, which the library keeps until their
 * message ends, and every other frame are copied, as the library copies them.
 */
final class FrameTranslator {

    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final int maxFrameSize;
    private final Supplier<IExtension> negotiatedExtension;
    private final IExtension defaultExtension = new DefaultExtension();
    private IExtension currentDecodingExtension;
    private ByteBuffer incompleteFrame;

    FrameTranslator(int maxFrameSize, Supplier<IExtension> negotiatedExtension) {
        this.maxFrameSize = maxFrameSize;
        this.negotiatedExtension = negotiatedExtension;
    }

    /** Forgets an incomplete frame, as {@code Draft_6455.reset()} does. */
    void reset() {
        incompleteFrame = null;
    }

    /** The whole frames in {@code buffer}, after the rest of a frame the previous read left incomplete. */
    List<Framedata> translate(ByteBuffer buffer) throws InvalidDataException {
        List<Framedata> frames = new ArrayList<>();
        while (incompleteFrame != null) {
            int missing = incompleteFrame.remaining();
            if (missing > buffer.remaining()) {
                incompleteFrame.put(buffer);
                return Collections.emptyList();
            }
            incompleteFrame.put(buffer.slice().limit(missing));
            buffer.position(buffer.position() + missing);
            try {
                frames.add(translateSingleFrame(incompleteFrame.duplicate().flip()));
                incompleteFrame = null;
            } catch (IncompleteException e) {
                // Its header is now whole: grow the buffer to the size it gives, and fill it.
                ByteBuffer extended = ByteBuffer.allocate(checkAlloc(e.getPreferredSize()));
                extended.put(incompleteFrame.flip());
                incompleteFrame = extended;
            }
        }
        while (buffer.hasRemaining()) {
            int start = buffer.position();
            try {
                frames.add(translateSingleFrame(buffer));
            } catch (IncompleteException e) {
                buffer.position(start);
                incompleteFrame = ByteBuffer.allocate(checkAlloc(e.getPreferredSize()));
                incompleteFrame.put(buffer);
            }
        }
        return frames;
    }

    private Framedata translateSingleFrame(ByteBuffer buffer) throws IncompleteException, InvalidDataException {
        int available = buffer.remaining();
        int frameSize = 2;
        checkPacketSize(available, frameSize);
        byte b1 = buffer.get();
        byte b2 = buffer.get();
        boolean fin = (b1 & 0x80) != 0;
        boolean rsv1 = (b1 & 0x40) != 0;
        boolean rsv2 = (b1 & 0x20) != 0;
        boolean rsv3 = (b1 & 0x10) != 0;
        boolean mask = (b2 & 0x80) != 0;
        Opcode opcode = toOpcode(b1 & 0x0F);
        long length = b2 & 0x7F;
        if (length > MAX_CONTROL_PAYLOAD) {
            if (opcode == Opcode.PING || opcode == Opcode.PONG || opcode == Opcode.CLOSING) {
                throw new InvalidFrameException("a control frame over 125 bytes (RFC 6455, 5.5)");
            }
            if (length == 126) {
                frameSize += 2;
                checkPacketSize(available, frameSize);
                length = readBigEndian(buffer, 2);
            } else {
                frameSize += 8;
                checkPacketSize(available, frameSize);
                length = readBigEndian(buffer, 8);
            }
        }
        checkLengthLimit(length);
        int payloadLength = (int) length;
        frameSize += (mask ? 4 : 0) + payloadLength;
        checkPacketSize(available, frameSize);

        ByteBuffer payload;
        if (mask) {
            payload = ByteBuffer.allocate(checkAlloc(payloadLength));
            byte[] key = new byte[4];
            buffer.get(key);
            for (int i = 0; i < payloadLength; i++) {
                payload.put((byte) (buffer.get() ^ key[i & 3]));
            }
            payload.flip();
        } else if (opcode == Opcode.TEXT && fin) {
            // A view of the read, not a copy: see the class doc.
            payload = buffer.slice().limit(payloadLength);
            buffer.position(buffer.position() + payloadLength);
        } else {
            payload = ByteBuffer.allocate(checkAlloc(payloadLength));
            buffer.get(payload.array(), 0, payloadLength);
        }
        FramedataImpl1 frame = FramedataImpl1.get(opcode);
        frame.setFin(fin);
        frame.setRSV1(rsv1);
        frame.setRSV2(rsv2);
        frame.setRSV3(rsv3);
        frame.setPayload(payload);
        if (opcode != Opcode.CONTINUOUS) {
            // As the library: a frame with a reserved bit set is the negotiated extension's, others the default's.
            currentDecodingExtension = rsv1 || rsv2 || rsv3 ? negotiatedExtension.get() : defaultExtension;
        }
        if (currentDecodingExtension == null) {
            currentDecodingExtension = defaultExtension;
        }
        currentDecodingExtension.isFrameValid(frame);
        currentDecodingExtension.decodeFrame(frame);
        if (opcode != Opcode.TEXT) {
            // A text frame's isValid() is the UTF-8 automaton alone (DataFrame checks nothing): see the class doc.
            frame.isValid();
        }
        return frame;
    }

    private void checkLengthLimit(long length) throws LimitExceededException {
        if (length > Integer.MAX_VALUE) {
            throw new LimitExceededException("a frame length over 2^31 - 1 bytes");
        }
        if (length > maxFrameSize) {
            throw new LimitExceededException("a frame length over the limit of " + maxFrameSize + " bytes",
                    maxFrameSize);
        }
        if (length < 0) {
            throw new LimitExceededException("a negative frame length");
        }
    }

    /** An unsigned 16-bit or a signed 64-bit length, in network order whatever the buffer's order. */
    private static long readBigEndian(ByteBuffer buffer, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = value << 8 | (buffer.get() & 0xFF);
        }
        return value;
    }

    /** As {@code Draft.checkAlloc}. */
    private static int checkAlloc(int bytes) throws InvalidDataException {
        if (bytes < 0) {
            throw new InvalidDataException(CloseFrame.PROTOCOL_ERROR, "a negative buffer size");
        }
        return bytes;
    }

    private static void checkPacketSize(int available, int frameSize) throws IncompleteException {
        if (available < frameSize) {
            throw new IncompleteException(frameSize);
        }
    }

    private static Opcode toOpcode(int opcode) throws InvalidFrameException {
        return switch (opcode) {
            case 0 -> Opcode.CONTINUOUS;
            case 1 -> Opcode.TEXT;
            case 2 -> Opcode.BINARY;
            case 8 -> Opcode.CLOSING;
            case 9 -> Opcode.PING;
            case 10 -> Opcode.PONG;
            default -> throw new InvalidFrameException("an opcode RFC 6455 does not define: " + opcode);
        };
    }
}
