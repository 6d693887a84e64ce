package io.github.kafkaconnectastro.integration;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The threads of the connector's own in this JVM, by name: per task, its session ({@code astro-session-}), its gap
 * repair ({@code astro-repair-}, only while it repairs) and OAuth2 reader ({@code astro-oauth2-}, only while it reads),
 * and Java-WebSocket's client reader and writer ({@code WebSocketConnectReadThread-}, {@code WebSocketWriteThread-}),
 * which name no connector; shared by every task of the worker, the timer ({@code astro-timer}), the HTTP pool
 * ({@code astro-http-}) and the shared HTTP clients' selector threads ({@code HttpClient-N-SelectorManager}, which
 * other clients in the JVM have too: count them against a snapshot taken before).
 */
final class ConnectorThreads {

    private static final List<String> PER_TASK = List.of("astro-session-", "astro-repair-", "astro-oauth2-",
            "WebSocketConnectReadThread-", "WebSocketWriteThread-");
    private static final List<String> SHARED = List.of("astro-timer", "astro-http-");

    private ConnectorThreads() {
    }

    /** Live threads of the tasks' own: every task's, as the websocket threads name no connector. */
    static List<Thread> perTask() {
        return live(name -> PER_TASK.stream().anyMatch(name::startsWith));
    }

    /** Live threads the worker's tasks share. */
    static List<Thread> shared() {
        return live(name -> SHARED.stream().anyMatch(name::startsWith));
    }

    /** Live HttpClient selector threads not in {@code before}. */
    static List<Thread> newHttpSelectors(Set<Thread> before) {
        return live(name -> name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")).stream()
                .filter(t -> !before.contains(t)).toList();
    }

    /** Live HttpClient selector threads, for a snapshot. */
    static Set<Thread> httpSelectors() {
        return Set.copyOf(newHttpSelectors(Set.of()));
    }

    static String describe(List<Thread> threads) {
        return threads.stream().map(Thread::getName).sorted().toList().toString();
    }

    private static List<Thread> live(Predicate<String> named) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> named.test(t.getName())).toList();
    }
}
