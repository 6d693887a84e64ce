package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.ConfigDef;

import java.util.List;

/**
 * A group of keys as the Connect REST API and the generated reference show it: its name, and its keys in the order
 * they are shown.
 */
record KeyGroup(String name, List<Key<?>> keys) {

    KeyGroup(String name, Key<?>... keys) {
        this(name, List.of(keys));
    }

    void addTo(ConfigDef def) {
        int order = 0;
        for (Key<?> key : keys) {
            key.define(def, name, ++order);
        }
    }
}
