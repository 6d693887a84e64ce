package io.github.kafkaconnectastro.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** One line on the console per step, so a long run shows where it is; the report comes at the end. */
final class Progress {

    private Progress() {
    }

    static void say(String message) {
        System.out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }
}
