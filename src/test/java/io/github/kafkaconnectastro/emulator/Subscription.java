package io.github.kafkaconnectastro.emulator;

/** One (topic, canonical room) pair a connection listens to. */
record Subscription(String topic, String room) {
}
