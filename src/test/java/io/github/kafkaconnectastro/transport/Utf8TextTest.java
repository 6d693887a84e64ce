package io.github.kafkaconnectastro.transport;

import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.util.Charsetfunctions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8TextTest {

    private final Utf8Text utf8 = new Utf8Text();

    @Test
    void asciiComesBackAsIsAndTheBufferIsLeftAsItWas() throws InvalidDataException {
        String text = "{\"type\":\"message\",\"data\":{\"amount\":12.5}}";
        ByteBuffer payload = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));

        assertEquals(text, utf8.decode(payload));
        assertEquals(0, payload.position());
        assertEquals(text.length(), payload.limit());
        assertEquals("", utf8.decode(ByteBuffer.allocate(0)));
    }

    @Test
    void multiByteCharactersOfEveryLengthAreDecoded() throws InvalidDataException {
        // 2 bytes (é, ñ), 3 bytes (—, €, U+FFFD itself), 4 bytes (an emoji, the last code point).
        String text = "Danke schön — 5 € ¡señor! 🎉 \uFFFD \uDBFF\uDFFF";
        assertEquals(text, utf8.decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void readsOnlyTheBuffersRemainingBytesWhateverItsArrayOffset() throws InvalidDataException {
        byte[] bytes = "xx{\"a\":\"é\"}yy".getBytes(StandardCharsets.UTF_8);
        ByteBuffer slice = ByteBuffer.wrap(bytes, 1, bytes.length - 2).slice().position(1).limit(bytes.length - 3);
        assertEquals("{\"a\":\"é\"}", utf8.decode(slice));
        byte[] ascii = "zz0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        assertEquals("0123456789", utf8.decode(ByteBuffer.wrap(ascii, 2, 10).slice()));
    }

    /** Invalid at the start, in the middle, and at the end, after enough ASCII for the eight-byte scan. */
    @ParameterizedTest
    @ValueSource(strings = {
        "c0af",          // overlong '/'
        "e080af",        // overlong '/', three bytes
        "f08080af",      // overlong '/', four bytes
        "c1bf",          // overlong, two bytes
        "eda080",        // a high surrogate
        "edbfbf",        // a low surrogate
        "f4908080",      // over U+10FFFF
        "f8888080",      // five-byte form
        "80",            // a continuation byte alone
        "ff",
        "fe",
        "c328",          // a lead byte followed by ASCII
        "e228a1",
        "f0289f8c",
    })
    void invalidSequencesAreRefusedWith1007WhereverTheyAre(String hex) {
        byte[] invalid = HexFormat.of().parseHex(hex);
        for (String[] around : new String[][] {{"", ""}, {"{\"data\":\"", "\"}"}, {"0123456789abcdefghij", ""}}) {
            byte[] bytes = concat(around[0].getBytes(StandardCharsets.US_ASCII), invalid,
                    around[1].getBytes(StandardCharsets.US_ASCII));
            InvalidDataException e = assertThrows(InvalidDataException.class,
                    () -> utf8.decode(ByteBuffer.wrap(bytes)), hex + " inside " + String.join("…", around));
            assertEquals(CloseFrame.NO_UTF8, e.getCloseCode());
        }
    }

    /** A sequence cut short by the end of the frame: the library's automaton lets it through, its decoder does not. */
    @ParameterizedTest
    @ValueSource(strings = {"c3", "e282", "e2", "f09f8e", "f09f", "f0"})
    void aSequenceCutAtTheFramesEndIsRefused(String hex) {
        byte[] bytes = concat("{\"message\":\"abcdefgh".getBytes(StandardCharsets.US_ASCII), HexFormat.of().parseHex(hex));
        InvalidDataException e = assertThrows(InvalidDataException.class, () -> utf8.decode(ByteBuffer.wrap(bytes)));
        assertEquals(CloseFrame.NO_UTF8, e.getCloseCode());
    }

    @Test
    void aReplacementCharacterTheSenderSentIsKept() throws InvalidDataException {
        String text = "{\"message\":\"\uFFFD\"}";
        assertEquals(text, utf8.decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
        byte[] invalidToo = concat(text.getBytes(StandardCharsets.UTF_8), hexBytes("c0af"));
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> utf8.decode(ByteBuffer.wrap(invalidToo)));
        assertEquals(CloseFrame.NO_UTF8, e.getCloseCode());
    }

    @Test
    void theAsciiScanSeesAHighByteAtEveryPosition() {
        for (int length = 1; length <= 40; length++) {
            byte[] bytes = new byte[length + 3];
            Arrays.fill(bytes, (byte) 'a');
            assertTrue(Utf8Text.isAscii(bytes, 3, length));
            for (int at = 0; at < length; at++) {
                bytes[3 + at] = (byte) 0x80;
                assertFalse(Utf8Text.isAscii(bytes, 3, length), "high byte at " + at + " of " + length);
                bytes[3 + at] = 'a';
            }
            bytes[2] = (byte) 0xC3;
            assertTrue(Utf8Text.isAscii(bytes, 3, length), "a byte before the range does not count");
        }
    }

    /** The reused character buffer: a short text after a long one, and a text larger than the buffer kept. */
    @Test
    void textsOfAnyLengthInAnyOrderComeBackWhole() throws InvalidDataException {
        String large = "ü".repeat(Utf8Text.REUSED_CHARS);
        for (String text : List.of("é".repeat(3000), "ö", large, "a€", "ß".repeat(700), large, "")) {
            assertEquals(text, utf8.decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void aDirectBufferIsDecodedToo() throws InvalidDataException {
        byte[] bytes = "ascii, then é".getBytes(StandardCharsets.UTF_8);
        assertEquals("ascii, then é", utf8.decode(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()));
        ByteBuffer invalid = ByteBuffer.allocateDirect(2).put(hexBytes("c0af")).flip();
        assertThrows(InvalidDataException.class, () -> utf8.decode(invalid));
    }

    /**
     * Accepts exactly what Java-WebSocket accepts (its automaton, then its strict decoder), and gives the same text:
     * random mixes of ASCII, valid sequences of every length, U+FFFD itself, and stray bytes.
     */
    @Test
    void agreesWithTheLibraryOnRandomText() {
        SplittableRandom random = new SplittableRandom(22);
        int refused = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = randomText(random);
            String expected;
            try {
                expected = Charsetfunctions.isValidUTF8(ByteBuffer.wrap(bytes))
                        ? Charsetfunctions.stringUtf8(ByteBuffer.wrap(bytes)) : null;
            } catch (InvalidDataException e) {
                expected = null;
            }
            String actual;
            try {
                actual = utf8.decode(ByteBuffer.wrap(bytes));
            } catch (InvalidDataException e) {
                assertEquals(CloseFrame.NO_UTF8, e.getCloseCode());
                actual = null;
            }
            assertEquals(expected, actual, HexFormat.of().formatHex(bytes));
            refused += actual == null ? 1 : 0;
        }
        assertTrue(refused > 2_000 && refused < 18_000, "both kinds were tried: " + refused + " refused");
    }

    private static byte[] randomText(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = random.nextInt(1, 12);
        for (int p = 0; p < parts; p++) {
            switch (random.nextInt(10)) {
                case 0 -> out.write(random.nextInt(256));
                case 1, 2 -> {
                    int codePoint = random.nextInt(0x80, 0x110000);
                    if (codePoint < 0xD800 || codePoint > 0xDFFF) {
                        out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                    }
                }
                case 3 -> out.writeBytes("\uFFFD".getBytes(StandardCharsets.UTF_8));
                default -> {
                    for (int i = random.nextInt(0, 20); i > 0; i--) {
                        out.write(random.nextInt(0x20, 0x7F));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] hexBytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
