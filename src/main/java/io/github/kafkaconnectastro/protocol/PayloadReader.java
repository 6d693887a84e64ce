package io.github.kafkaconnectastro.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Reads a notification's {@code data} into what the records need, in the codec's own pass over the frame, so that
 * the payload is tokenized once, on the socket's reader thread. The codec knows no record shapes: the layer that
 * maps notifications implements this, and the codec hands it each field of {@code data} as it tokenizes it.
 * <p>
 * A reading must not throw for any payload (a payload that does not fit is the reading's own business, kept in
 * what it prepares): only the parser's own {@link IOException}s may pass, which the codec turns into a malformed
 * frame, as it does without a reader.
 */
public interface PayloadReader {

    /**
     * Starts reading the {@code data} object of a notification on {@code topic}; called when the codec meets
     * {@code data} after the notification's topic, the common order.
     */
    Reading start(String topic);

    /**
     * Prepares a payload read apart, as text: {@code data} seen before the topic (the codec then keeps its text
     * and calls this once the frame is read), or a {@code data} that is not an object; null text for no
     * {@code data}. {@code createdAt} is {@code data.createdAt}'s text, or null.
     */
    Prepared fromText(String topic, String dataJson, String createdAt);

    /**
     * The cache of short texts the readings use: the codec reads the fields it keeps of {@code data} ({@code type},
     * {@code _id}, {@code channel}) through it too, so that a reading gets the same string rather than a second one.
     */
    TextCache texts();

    /** One payload being read, field by field. */
    interface Reading {

        /**
         * One field of {@code data}: the parser is at its value's first token; when this returns, the value is
         * consumed (the parser is at its last token).
         *
         * @param frame the text the parser reads
         */
        void field(String name, JsonToken token, JsonParser parser, String frame) throws IOException;

        /** The end of {@code data}, which spans {@code frame}'s characters from {@code start} to {@code end}. */
        Prepared finish(String frame, int start, int end);
    }

    /** What a reading gives: opaque to the codec, carried by the notification to {@code poll()}. */
    interface Prepared {

        /** An estimate of the heap this holds, in bytes, for the buffer's byte bound. */
        int estimatedBytes();

        /** {@code data.createdAt} in epoch ms, or {@link Rfc3339#UNKNOWN} when absent or unreadable. */
        long createdAtMs();
    }
}
