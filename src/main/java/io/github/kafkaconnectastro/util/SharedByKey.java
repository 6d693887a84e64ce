package io.github.kafkaconnectastro.util;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Values that every task of the plugin in a worker shares, one per key (a registry held in a static field is one
 * per class loader, so one per worker): made by the first task to ask, {@linkplain #lease leased} by each task that
 * uses it, and forgotten once the last lease is closed, so that a worker whose connectors are gone keeps none of
 * them (nor the threads some of them hold).
 */
public final class SharedByKey<K, V> {

    /** A task's hold on a shared value; closing it lets the value go with the last holder. Closing twice releases once. */
    public static final class Lease<V> implements AutoCloseable {
        private final V value;
        /** Null once closed. Guarded by this. */
        private Runnable release;

        private Lease(V value, Runnable release) {
            this.value = value;
            this.release = release;
        }

        public V value() {
            return value;
        }

        @Override
        public void close() {
            Runnable once;
            synchronized (this) {
                once = release;
                release = null;
            }
            if (once != null) {
                once.run();
            }
        }
    }

    private static final class Shared<V> {
        final V value;
        int holders;

        Shared(V value) {
            this.value = value;
        }
    }

    /** Guarded by itself. */
    private final Map<K, Shared<V>> byKey = new HashMap<>();

    /** The value shared under {@code key}, made by {@code make} if no task holds one now. */
    public Lease<V> lease(K key, Function<? super K, ? extends V> make) {
        synchronized (byKey) {
            Shared<V> shared = byKey.computeIfAbsent(key, k -> new Shared<>(make.apply(k)));
            shared.holders++;
            return new Lease<>(shared.value, () -> release(key));
        }
    }

    /** How many keys have a value held now: for tests and thread counts. */
    public int size() {
        synchronized (byKey) {
            return byKey.size();
        }
    }

    private void release(K key) {
        synchronized (byKey) {
            Shared<V> shared = byKey.get(key);
            if (shared != null && --shared.holders == 0) {
                byKey.remove(key);
            }
        }
    }
}
