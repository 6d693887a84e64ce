package io.github.kafkaconnectastro.util;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link HttpClient}s of every task of the plugin in a worker (one registry per class loader, so per worker),
 * for REST repair and OAuth2 alike: one client per distinct set of the settings a client fixes when it is built, so
 * that hundreds of connectors share one selector thread instead of holding one each.
 *
 * <p>A client is {@linkplain #acquire leased} and the lease {@linkplain SharedByKey.Lease#close() closed} when its user stops;
 * the registry forgets a client once its last lease is closed. Why: Java 17's {@code HttpClient} has no
 * {@code close()}, and its selector thread ends only once the client is no longer reachable and a GC has collected
 * it; a registry that kept every client it ever built would keep their threads for the worker's lifetime, and one
 * client per task would keep one thread per task. Per-request settings (the read timeout) go on each
 * {@code HttpRequest}, not here.
 *
 * <p>The clients' work (completing exchanges, reading bodies) runs on one small pool of daemon threads,
 * {@value #THREAD_PREFIX}N, that end after {@link #IDLE} without work; each client adds its own selector thread,
 * {@code HttpClient-N-SelectorManager}, which the JDK names.
 */
public final class SharedHttpClients {

    /** What a client fixes when it is built, and so what tells two shared clients apart. */
    public record Settings(Duration connectTimeout, HttpClient.Redirect redirect) {
        HttpClient build() {
            return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(redirect)
                    .executor(EXECUTOR).build();
        }
    }

    /**
     * A user's hold on the shared client with {@code connectTimeout}: leased at the first {@link #http()} (a task that
     * never calls leases nothing) and released at {@link #close()}, after which {@link #http()} gives nothing.
     */
    public static final class OnFirstUse implements AutoCloseable {
        private final Duration connectTimeout;
        /** Guarded by this: null before the first use and after close. */
        private SharedByKey.Lease<HttpClient> lease;
        private boolean closed;

        public OnFirstUse(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /** The shared client, leased now if it was not yet; empty once closed (the user stops). */
        public synchronized Optional<HttpClient> http() {
            if (closed) {
                return Optional.empty();
            }
            if (lease == null) {
                lease = acquire(connectTimeout);
            }
            return Optional.of(lease.value());
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (lease != null) {
                lease.close();
                lease = null;
            }
        }
    }

    /** How long a thread of the shared pool waits for work before it ends. */
    static final Duration IDLE = Duration.ofSeconds(5);
    /** The shared pool's thread name prefix. */
    public static final String THREAD_PREFIX = "astro-http-";
    private static final int POOL_THREADS = 4;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService EXECUTOR = executor();

    private static final SharedByKey<Settings, HttpClient> CLIENTS = new SharedByKey<>();

    private SharedHttpClients() {
    }

    private static ExecutorService executor() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(POOL_THREADS, POOL_THREADS, IDLE.toMillis(),
                TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, THREAD_PREFIX + THREADS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The client shared by every user of these settings, built on first use. */
    public static SharedByKey.Lease<HttpClient> acquire(Settings settings) {
        return CLIENTS.lease(settings, Settings::build);
    }

    /** A client without redirects, which every client of the plugin is. */
    public static SharedByKey.Lease<HttpClient> acquire(Duration connectTimeout) {
        return acquire(new Settings(connectTimeout, HttpClient.Redirect.NEVER));
    }

    /** How many distinct clients are leased now, for tests and thread counts. */
    public static int clientsInUse() {
        return CLIENTS.size();
    }
}
