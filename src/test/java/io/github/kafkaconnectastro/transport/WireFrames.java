package io.github.kafkaconnectastro.transport;

import java.io.ByteArrayOutputStream;

/** Websocket frame headers as they go on the wire (RFC 6455, section 5.2), for tests that write frames by hand. */
public final class WireFrames {

    private WireFrames() {
    }

    /**
     * An unmasked frame's header claiming {@code length} payload bytes, in the shortest length encoding; a negative
     * length (which no encoding allows) is written in the 64-bit one, for tests of a reader that must refuse it.
     */
    public static byte[] header(boolean fin, int opcode, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10);
        out.write((fin ? 0x80 : 0) | opcode);
        if (length >= 0 && length < 126) {
            out.write((int) length);
        } else if (length >= 0 && length < 65_536) {
            out.write(126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >>> shift));
            }
        }
        return out.toByteArray();
    }
}
