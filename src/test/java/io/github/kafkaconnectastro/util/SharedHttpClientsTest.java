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
        SharedByKey.Lease<HttpClient> first = SharedHttpClients.acquire(ONE);
        SharedByKey.Lease<HttpClient> second = SharedHttpClients.acquire(ONE);
        assertSame(first.value(), second.value());
        assertEquals(before + 1, SharedHttpClients.clientsInUse());

        first.close();
        first.close();
        assertEquals(before + 1, SharedHttpClients.clientsInUse(), "a second close of one lease releases once");
        SharedByKey.Lease<HttpClient> third = SharedHttpClients.acquire(ONE);
        assertSame(second.value(), third.value(), "still leased: still shared");

        second.close();
        third.close();
        assertEquals(before, SharedHttpClients.clientsInUse(), "no reference is kept after the last lease");
        try (SharedByKey.Lease<HttpClient> fresh = SharedHttpClients.acquire(ONE)) {
            assertNotSame(first.value(), fresh.value(), "a client released by all is not handed out again");
        }
    }

    @Test
    void distinctSettingsGetDistinctClientsBuiltWithThem() {
        try (SharedByKey.Lease<HttpClient> one = SharedHttpClients.acquire(ONE);
             SharedByKey.Lease<HttpClient> other = SharedHttpClients.acquire(OTHER);
             SharedByKey.Lease<HttpClient> following = SharedHttpClients.acquire(
                     new SharedHttpClients.Settings(ONE, HttpClient.Redirect.NORMAL))) {
            assertNotSame(one.value(), other.value());
            assertNotSame(one.value(), following.value());
            assertEquals(ONE, one.value().connectTimeout().orElseThrow());
            assertEquals(OTHER, other.value().connectTimeout().orElseThrow());
            assertEquals(HttpClient.Redirect.NEVER, one.value().followRedirects());
            assertEquals(HttpClient.Redirect.NORMAL, following.value().followRedirects());
            assertTrue(one.value().executor().isPresent(), "the clients run on the shared pool");
            assertSame(one.value().executor().get(), other.value().executor().get());
        }
    }
}
