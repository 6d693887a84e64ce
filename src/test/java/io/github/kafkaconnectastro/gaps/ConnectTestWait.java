package io.github.kafkaconnectastro.gaps;

import java.util.function.BooleanSupplier;

/** Waits for what another thread does, up to 20 s. */
final class ConnectTestWait {

    private ConnectTestWait() {
    }

    static boolean until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
