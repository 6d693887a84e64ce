package io.github.kafkaconnectastro.util;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedHttpClientsTest {

    /** Unusual timeouts, so that clients leased by other tests of this JVM are not counted. */
    private static final Duration ONE = Duration.ofMillis(12_345);
    private static final Duration OTHER = Duration.ofMillis(12_346);

    @Test
    void theSameSettingsShareOneClientUntilTheLastLeaseIsClosed() {
        int before = SharedHttpClients.clientsInUse();
        SharedHttpClients.Lease first = SharedHttpClients.acquire(ONE);
        SharedHttpClients.Lease second = SharedHttpClients.acquire(ONE);
        assertSame(first.http(), second.http());
        assertEquals(before + 1, SharedHttpClients.clientsInUse());

        first.close();
        first.close();
        assertEquals(before + 1, SharedHttpClients.clientsInUse(), "a second close of one lease releases once");
        SharedHttpClients.Lease third = SharedHttpClients.acquire(ONE);
        assertSame(second.http(), third.http(), "still leased: still shared");

        second.close();
        third.close();
        assertEquals(before, SharedHttpClients.clientsInUse(), "no reference is kept after the last lease");
        try (SharedHttpClients.Lease fresh = SharedHttpClients.acquire(ONE)) {
            assertNotSame(first.http(), fresh.http(), "a client released by all is not handed out again");
        }
    }

    @Test
    void distinctSettingsGetDistinctClientsBuiltWithThem() {
        try (SharedHttpClients.Lease one = SharedHttpClients.acquire(ONE);
             SharedHttpClients.Lease other = SharedHttpClients.acquire(OTHER);
             SharedHttpClients.Lease following = SharedHttpClients.acquire(
                     new SharedHttpClients.Settings(ONE, HttpClient.Redirect.NORMAL))) {
            assertNotSame(one.http(), other.http());
            assertNotSame(one.http(), following.http());
            assertEquals(ONE, one.http().connectTimeout().orElseThrow());
            assertEquals(OTHER, other.http().connectTimeout().orElseThrow());
            assertEquals(HttpClient.Redirect.NEVER, one.http().followRedirects());
            assertEquals(HttpClient.Redirect.NORMAL, following.http().followRedirects());
            assertTrue(one.http().executor().isPresent(), "the clients run on the shared pool");
            assertSame(one.http().executor().get(), other.http().executor().get());
        }
    }
}
