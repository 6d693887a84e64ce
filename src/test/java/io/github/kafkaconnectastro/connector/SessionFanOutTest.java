package io.github.kafkaconnectastro.connector;

import io.github.kafkaconnectastro.protocol.Subscription;
import io.github.kafkaconnectastro.session.ReconnectCause;
import io.github.kafkaconnectastro.session.SessionListener;
import io.github.kafkaconnectastro.subscribe.SubscriptionState;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionFanOutTest {

    private static final Subscription PAIR = Subscription.parse("channel.tips:aaaaaaaaaaaaaaaaaaaaaaaa");

    private final List<String> metrics = new ArrayList<>();
    private final List<String> tracker = new ArrayList<>();
    private final List<String> repairer = new ArrayList<>();
    private final SessionFanOut fanOut = new SessionFanOut(recorder(metrics), recorder(tracker), recorder(repairer));

    @Test
    void whatSubscribingReportsReachesTheMetricsAndEveryOtherListener() {
        fanOut.subscriptionState(PAIR, SubscriptionState.ACTIVE);
        fanOut.confirmedRoom(PAIR, "bbbbbbbbbbbbbbbbbbbbbbbb");
        fanOut.subscribeError(PAIR, "err_unauthorized");
        fanOut.rateLimitResponse();

        List<String> expected = List.of("subscriptionState[" + PAIR + ", ACTIVE]",
                "confirmedRoom[" + PAIR + ", bbbbbbbbbbbbbbbbbbbbbbbb]", "subscribeError[" + PAIR + ", err_unauthorized]",
                "rateLimitResponse[]");
        assertEquals(expected, metrics);
        assertEquals(expected, tracker);
        assertEquals(expected, repairer);
    }

    @Test
    void theConnectionsAndFramesReachOnlyTheMetrics() {
        fanOut.connected(true);
        fanOut.reconnect(ReconnectCause.CONNECTION_LOST);
        fanOut.malformedFrame("binary");
        fanOut.broadcast();
        fanOut.notificationReceived(PAIR, 42);

        assertEquals(List.of("connected[true]", "reconnect[CONNECTION_LOST]", "malformedFrame[binary]", "broadcast[]",
                "notificationReceived[" + PAIR + ", 42]"), metrics);
        assertEquals(List.of(), tracker);
        assertEquals(List.of(), repairer);
    }

    @Test
    void handsOnEveryKindOfEventTheSessionReports() {
        for (Method method : SessionListener.class.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers())) {
                assertDoesNotThrow(() -> SessionFanOut.class.getDeclaredMethod(method.getName(),
                        method.getParameterTypes()), method + " would be dropped by its default");
            }
        }
    }

    /** Every event, in order, as its method's name and arguments; a proxy, so that it hears every method. */
    private static SessionListener recorder(List<String> events) {
        return (SessionListener) Proxy.newProxyInstance(SessionFanOutTest.class.getClassLoader(),
                new Class<?>[] {SessionListener.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "recorder";
                        };
                    }
                    events.add(method.getName() + (args == null ? List.of() : Arrays.asList(args)));
                    return null;
                });
    }
}
