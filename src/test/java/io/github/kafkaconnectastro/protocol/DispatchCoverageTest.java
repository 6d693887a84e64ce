package io.github.kafkaconnectastro.protocol;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of server message is dispatched: {@link AstroMessage.Handler} has a method for each record the sealed
 * {@link AstroMessage} permits, so a kind added to the model and not to the handler fails here (and every handler,
 * the session's router among them, then fails to compile until it handles it).
 */
class DispatchCoverageTest {

    @Test
    void theHandlerHasOneMethodPerKindOfMessage() {
        Set<Class<?>> handled = new HashSet<>();
        for (Method method : AstroMessage.Handler.class.getDeclaredMethods()) {
            Class<?>[] parameters = method.getParameterTypes();
            assertEquals(2, parameters.length, method + " takes the context and the message");
            assertTrue(handled.add(parameters[1]), "two handler methods for " + parameters[1].getSimpleName());
        }
        Set<Class<?>> kinds = new HashSet<>(Arrays.asList(AstroMessage.class.getPermittedSubclasses()));
        assertEquals(kinds, handled, "each kind of AstroMessage needs exactly one AstroMessage.Handler method");
    }

    @Test
    void eachKindDispatchesToItsOwnMethod() {
        AstroMessage[] samples = {
            new AstroMessage.Welcome("01A", "c", "hi"),
            new AstroMessage.Response("01A", "n", null, "ok", "channel.tips", null),
            new AstroMessage.Notification("01A", java.time.Instant.EPOCH, "channel.tips", "r", null, null, "{}", 2),
            new AstroMessage.Broadcast("01A", "Hello world!"),
            new AstroMessage.Reconnect("t", "bye"),
            new AstroMessage.Unknown("ping"),
            new AstroMessage.Malformed(AstroMessage.Malformed.Kind.INVALID_JSON, "x"),
        };
        assertEquals(AstroMessage.class.getPermittedSubclasses().length, samples.length, "a sample of each kind");
        for (AstroMessage sample : samples) {
            StringBuilder called = new StringBuilder();
            sample.dispatch(new Recorder(), called);
            assertEquals(sample.getClass().getSimpleName(), called.toString());
        }
    }

    /** Notes which method was called. */
    private static final class Recorder implements AstroMessage.Handler<StringBuilder> {
        @Override
        public void welcome(StringBuilder called, AstroMessage.Welcome welcome) {
            called.append("Welcome");
        }

        @Override
        public void response(StringBuilder called, AstroMessage.Response response) {
            called.append("Response");
        }

        @Override
        public void notification(StringBuilder called, AstroMessage.Notification notification) {
            called.append("Notification");
        }

        @Override
        public void broadcast(StringBuilder called, AstroMessage.Broadcast broadcast) {
            called.append("Broadcast");
        }

        @Override
        public void reconnect(StringBuilder called, AstroMessage.Reconnect reconnect) {
            called.append("Reconnect");
        }

        @Override
        public void unknown(StringBuilder called, AstroMessage.Unknown unknown) {
            called.append("Unknown");
        }

        @Override
        public void malformed(StringBuilder called, AstroMessage.Malformed malformed) {
            called.append("Malformed");
        }
    }
}
