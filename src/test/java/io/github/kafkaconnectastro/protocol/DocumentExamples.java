package io.github.kafkaconnectastro.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The gateway documents' JSON examples, kept verbatim in {@code src/test/resources/astro-docs/}, for tests that
 * replay them. Where a test needs a variant the documents describe in words only (the 2023 shape), it is derived
 * from a verbatim example here, so the rest of the frame stays the documents'.
 */
public final class DocumentExamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DocumentExamples() {
    }

    /** The example's text, exactly as the document shows it. */
    public static String text(String name) {
        try (InputStream in = DocumentExamples.class.getResourceAsStream("/astro-docs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no document example " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response in the 2023 shape: its {@code data} a plain string, the message of the original's data. */
    public static String as2023(String response) {
        return edit(response, frame -> frame.put("data", frame.path("data").path("message").asText()));
    }

    /** The example with one top-level field set, e.g. the nonce of the command it answers. */
    public static String with(String example, String field, String value) {
        return edit(example, frame -> frame.put(field, value));
    }

    /** The example without one top-level field, e.g. a rate-limit answer, which carries no nonce. */
    public static String without(String example, String field) {
        return edit(example, frame -> frame.remove(field));
    }

    private static String edit(String example, Consumer<ObjectNode> change) {
        try {
            ObjectNode frame = (ObjectNode) JSON.readTree(example);
            change.accept(frame);
            return frame.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
