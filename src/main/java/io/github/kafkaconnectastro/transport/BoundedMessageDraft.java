package io.github.kafkaconnectastro.transport;

import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;

/**
 * An RFC 6455 draft whose size limit holds for a whole message, not only for each frame. Java-WebSocket 1.6.0
 * checks its max frame size against every frame, but against a fragmented message only at its first and its last
 * fragment: a text frame without FIN followed by continuation frames without end is buffered whole, until the
 * worker runs out of heap. This draft counts what a message's fragments hold as they arrive and fails the message
 * the moment the total passes the limit, the way the library fails a frame over it: the connection is closed with
 * 1009 (too big), so at most the limit is ever buffered.
 *
 * <p>Java-WebSocket uses a {@link #copyInstance()} per connection, so the count is per connection. Control frames
 * (ping, pong, close) may come between fragments; they neither count nor end the message. A text frame's UTF-8 is
 * checked once, as {@link FastTextDraft} says.
 */
class BoundedMessageDraft extends FastTextDraft {

    /**
     * The heap a buffered fragment costs besides its payload (its buffer and the library's list entry): without it,
     * endless empty continuation frames would grow the heap while the byte count stayed at zero.
     */
    private static final int FRAGMENT_OVERHEAD_BYTES = 64;

    private long messageBytes;

    BoundedMessageDraft(int maxMessageBytes) {
        super(maxMessageBytes);
    }

    @Override
    public void processFrame(WebSocketImpl webSocketImpl, Framedata frame) throws InvalidDataException {
        Opcode opcode = frame.getOpcode();
        boolean firstFragment = !frame.isFin() && (opcode == Opcode.TEXT || opcode == Opcode.BINARY);
        if (firstFragment || opcode == Opcode.CONTINUOUS) {
            long before = firstFragment ? 0 : messageBytes;
            messageBytes = before + frame.getPayloadData().remaining() + FRAGMENT_OVERHEAD_BYTES;
            if (messageBytes > getMaxFrameSize()) {
                messageBytes = 0;
                throw new LimitExceededException("a fragmented message over " + getMaxFrameSize() + " bytes",
                        getMaxFrameSize());
            }
            if (frame.isFin()) {
                messageBytes = 0;
            }
        }
        super.processFrame(webSocketImpl, frame);
    }

    @Override
    public void reset() {
        super.reset();
        messageBytes = 0;
    }

    @Override
    public Draft copyInstance() {
        return new BoundedMessageDraft(getMaxFrameSize());
    }
}
