package io.github.kafkaconnectastro.transport;

import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A text frame's payload to a {@code String}, checked as strict UTF-8 in the same pass. Java-WebSocket 1.6.0 walks
 * each text payload twice: once through its UTF-8 automaton ({@code Charsetfunctions.isValidUTF8}, a table lookup
 * that waits on the previous one for every byte) and again through a fresh strict {@code CharsetDecoder} into a
 * fresh {@code CharBuffer}, which is then copied into the {@code String}.
 *
 * <p>Here a payload whose bytes are all below 0x80, the notifications' usual case, is found so eight bytes at a
 * time and copied once into a compact Latin-1 string: ASCII is valid UTF-8, and each of its bytes is its own
 * character. Any other payload goes once through the JDK's strict decoder, kept with its character buffer from one
 * frame to the next. It refuses what RFC 3629 refuses (overlong forms, surrogates, code points over U+10FFFF, stray
 * continuation bytes, a sequence cut at the end), and refused text fails as the library fails it:
 * {@link InvalidDataException} with close code 1007 and the decoder's exception as its cause.
 *
 * <p>One instance per connection, for the socket's reader thread only: the decoder and its buffer are reused.
 */
final class Utf8Text {

    /** Frames up to this many bytes reuse the character buffer; a larger one gets its own, so none is kept. */
    static final int REUSED_CHARS = 64 * 1024;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer chars;

    /** The payload's text; the buffer's position and limit are left as they were. */
    String decode(ByteBuffer payload) throws InvalidDataException {
        int length = payload.remaining();
        if (payload.hasArray() && isAscii(payload.array(), payload.arrayOffset() + payload.position(), length)) {
            return new String(payload.array(), payload.arrayOffset() + payload.position(), length,
                    StandardCharsets.ISO_8859_1);
        }
        // UTF-8 never has more characters than bytes, so the decoder cannot run out of room.
        CharBuffer out = charBuffer(length);
        try {
            CoderResult result = strict.reset().decode(payload.duplicate(), out, true);
            if (!result.isError()) {
                result = strict.flush(out);
            }
            if (result.isError()) {
                result.throwException();
            }
        } catch (CharacterCodingException e) {
            throw new InvalidDataException(CloseFrame.NO_UTF8, e);
        }
        return new String(out.array(), 0, out.position());
    }

    private CharBuffer charBuffer(int length) {
        if (length > REUSED_CHARS) {
            return CharBuffer.allocate(length);
        }
        if (chars == null || chars.capacity() < length) {
            chars = CharBuffer.allocate(Math.max(length, 1024));
        }
        return chars.clear();
    }

    /** True when no byte in the range has its high bit set. */
    static boolean isAscii(byte[] bytes, int from, int length) {
        int end = from + length;
        int i = from;
        for (; i <= end - Long.BYTES; i += Long.BYTES) {
            if (((long) LONGS.get(bytes, i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
