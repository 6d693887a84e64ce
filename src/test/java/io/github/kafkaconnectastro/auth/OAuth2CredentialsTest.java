package io.github.kafkaconnectastro.auth;

import io.github.kafkaconnectastro.emulator.AstroEmulator;
import io.github.kafkaconnectastro.emulator.OAuth2Endpoint;
import io.github.kafkaconnectastro.integration.ConnectFixture;
import io.github.kafkaconnectastro.protocol.TokenType;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OAuth2CredentialsTest {

    private static final String SECRET = "client-secret-1";
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private AstroEmulator gateway;
    private OAuth2Endpoint endpoint;
    /** The connector's offsets, as far as these credentials see them. */
    private final AtomicReference<Map<String, ?>> offsets = new AtomicReference<>();
    private final List<OAuth2Credentials> started = new ArrayList<>();
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicReference<ConnectException> failure = new AtomicReference<>();
    private final OAuth2Credentials.Events events = new OAuth2Credentials.Events() {
        @Override
        public void renewed() {
            renewals.incrementAndGet();
        }

        @Override
        public void failed(ConnectException reason) {
            failure.set(reason);
        }

        @Override
        public void attemptFailed() {
            failedAttempts.incrementAndGet();
        }
    };

    @BeforeEach
    void start() {
        gateway = AstroEmulator.start();
        endpoint = OAuth2Endpoint.start(gateway, "client-1", SECRET, "own");
    }

    @AfterEach
    void stop() {
        pollers.forEach(Thread::interrupt);
        started.forEach(OAuth2Credentials::close);
        endpoint.close();
        gateway.close();
    }

    /** Task 0's credentials. */
    private OAuth2Refresher refresher(String configuredRefreshToken) {
        return refresher(configuredRefreshToken, offsets::get);
    }

    private OAuth2Refresher refresher(String configuredRefreshToken, Supplier<Map<String, ?>> storedOffset) {
        return refresher(configuredRefreshToken, cipher(), storedOffset);
    }

    private OAuth2Refresher refresher(String configuredRefreshToken, CredentialCipher cipher,
                                      Supplier<Map<String, ?>> storedOffset) {
        OAuth2Client client = new OAuth2Client(endpoint.tokenUrl(), "client-1", new Password(SECRET),
                Duration.ofSeconds(5), Clock.systemUTC());
        return started(new OAuth2Refresher(client, new Password(configuredRefreshToken), cipher, storedOffset,
                TokenType.OAUTH2, Clock.systemUTC(), events, "oauth2-test"));
    }

    /** Another task's credentials. */
    private OAuth2Reader reader() {
        return reader(Duration.ofMinutes(10));
    }

    private OAuth2Reader reader(Duration maxWait) {
        return reader(maxWait, cipher());
    }

    private OAuth2Reader reader(Duration maxWait, CredentialCipher cipher) {
        return started(new OAuth2Reader(endpoint.tokenUrl(), cipher, offsets::get, TokenType.OAUTH2, maxWait,
                Clock.systemUTC(), events, "oauth2-test"));
    }

    private static CredentialCipher cipher() {
        return new CredentialCipher(SECRET, "client-1");
    }

    private <T extends OAuth2Credentials> T started(T credentials) {
        started.add(credentials);
        credentials.start();
        if (credentials instanceof OAuth2Refresher refresher) {
            pollers.add(poller(refresher));
        }
        return credentials;
    }

    /**
     * What the task's poll() does for task 0, on a thread of its own like Connect's task thread: the refresh when
     * it is due. Its blob waits for {@link #commit}, as the offsets hold it only once Connect has committed it.
     */
    private static Thread poller(OAuth2Refresher refresher) {
        Thread poller = new Thread(() -> {
            try {
                while (true) {
                    refresher.refreshIfDue();
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                // the test is over
            }
        }, "oauth2-test-poll");
        poller.setDaemon(true);
        poller.start();
        return poller;
    }

    /** What the task's poll() does: the blob goes into the offsets with the next record. */
    private void commit(OAuth2Refresher credentials) {
        Map<String, String> offset = credentials.takeOffsetToSave();
        if (offset != null) {
            offsets.set(offset);
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition) {
        return ConnectFixture.eventually(condition, AWAIT);
    }

    @Test
    void theRefresherRefreshesBeforeExpiryAndSavesEachResultEncrypted() {
        endpoint.setAccessTokenLifetime(Duration.ofSeconds(2));
        String configured = endpoint.issueRefreshToken();
        OAuth2Refresher refresher = refresher(configured);
        assertTrue(await(() -> refresher.token() != null), "no first token");
        Password first = refresher.token();
        commit(refresher);
        assertNotNull(offsets.get());
        assertFalse(offsets.get().toString().contains(first.value()), "the offset holds the token in clear");
        assertTrue(await(() -> refresher.version() >= 3), "not refreshed before expiry");
        assertNotEquals(first, refresher.token());
        assertTrue(endpoint.refreshCount() >= 3);
        assertNull(failure.get());
    }

    @Test
    void aReaderTakesWhatTheRefresherSavedAndNeverCallsTheEndpoint() {
        endpoint.setAccessTokenLifetime(Duration.ofSeconds(4));
        OAuth2Credentials reader = reader();
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> refresher.token() != null), "no first token");
        assertNull(reader.token(), "a reader has nothing before task 0 saved it");
        assertTrue(await(() -> refresher.version() >= 1), "no first token");
        commit(refresher);
        assertTrue(await(() -> refresher.token().equals(reader.token())), "the reader did not take the saved token");
        assertTrue(await(() -> endpoint.refreshCount() >= 2), "not refreshed");
        commit(refresher);
        assertTrue(await(() -> refresher.token().equals(reader.token())), "the reader did not take the renewed one");
        assertEquals(0, endpoint.refusalCount());
    }

    /** Issue 22's footprint: between its looks at the offsets a reader holds no thread; the worker's timer wakes it. */
    @Test
    void aReaderHoldingAGoodTokenKeepsNoThreadBetweenLooks() {
        endpoint.setAccessTokenLifetime(Duration.ofHours(1));
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> refresher.version() >= 1), "no first token");
        commit(refresher);
        OAuth2Reader reader = reader();
        assertTrue(await(() -> refresher.token().equals(reader.token())), "the reader did not take the saved token");
        assertTrue(await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().equals("oauth2-test"))),
                "the reader's thread outlived its look at the offsets");
        assertNull(failure.get());
    }

    @Test
    void aRestartedRefresherUsesTheKeptRefreshTokenNotTheUsedConfiguredOne() {
        endpoint.setAccessTokenLifetime(Duration.ofSeconds(2));
        String configured = endpoint.issueRefreshToken();
        OAuth2Refresher first = refresher(configured);
        assertTrue(await(() -> first.version() >= 2), "not refreshed");
        first.close();
        commit(first);

        OAuth2Refresher restarted = refresher(configured);
        int before = endpoint.refreshCount();
        assertTrue(await(() -> endpoint.refreshCount() > before && restarted.token() != null), "no refresh");
        assertEquals(0, endpoint.refusalCount(), "the used configured refresh token was presented again");
        assertNull(failure.get());
    }

    @Test
    void aNewConfiguredRefreshTokenWinsOverTheKeptOne() {
        String configured = endpoint.issueRefreshToken();
        OAuth2Refresher first = refresher(configured);
        assertTrue(await(() -> first.token() != null), "no first token");
        first.close();
        commit(first);

        OAuth2Refresher restarted = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> endpoint.refreshCount() == 2 && restarted.token() != null), "the new one was not used");
        assertEquals(0, endpoint.refusalCount());
    }

    @Test
    void aRefusedRefreshTokenFailsTheTaskWithAReasonToActOn() {
        String configured = endpoint.issueRefreshToken();
        OAuth2Refresher used = refresher(configured);
        assertTrue(await(() -> used.token() != null), "no first token");
        used.close();

        refresher(configured);
        assertTrue(await(() -> failure.get() != null), "the refusal did not fail the task");
        String reason = failure.get().getMessage();
        assertTrue(reason.contains("invalid_grant") && reason.contains("astro.oauth2.refresh.token"), reason);
        assertFalse(reason.contains(configured), reason);
    }

    @Test
    void aRefusalOfTheAccessTokenRefreshesOnceNotTwice() {
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> refresher.token() != null), "no first token");
        Password refused = refresher.token();
        assertTrue(refresher.renewAfterRefusal(refused));
        Password renewed = refresher.token();
        assertNotEquals(refused, renewed);
        assertTrue(refresher.renewAfterRefusal(refused), "an older token's refusal needs no refresh");
        assertFalse(refresher.renewAfterRefusal(renewed), "the renewed token refused too: no second refresh");
        assertEquals(2, endpoint.refreshCount());
    }

    /** A paused task is not polled: a refusal meanwhile rotates nothing until the next poll, which renews it. */
    @Test
    void aRefusalIsRenewedByTheNextPollNotByTheSession() throws Exception {
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> refresher.token() != null), "no first token");
        Thread poller = pollers.get(pollers.size() - 1);
        poller.interrupt();
        poller.join();
        commit(refresher);
        Password refused = refresher.token();
        AtomicReference<Boolean> renewed = new AtomicReference<>();
        Thread session = new Thread(() -> renewed.set(refresher.renewAfterRefusal(refused)), "session");
        session.start();
        Thread.sleep(500);
        assertEquals(1, endpoint.refreshCount(), "refreshed off the poll path");
        assertNull(renewed.get(), "the session did not wait for the poll");
        refresher.refreshIfDue();
        session.join(AWAIT.toMillis());
        assertEquals(Boolean.TRUE, renewed.get());
        assertEquals(2, endpoint.refreshCount());
        assertNotNull(refresher.takeOffsetToSave(), "the poll that renewed has no blob to return");
    }

    /**
     * A refusal while the task is paused waits for a poll that may not come before the task stops: the stop ends the
     * wait, by the interrupt of the session's thread (AstroSession.close) or by the close of the credentials,
     * without a refresh.
     */
    @Test
    void aSessionWaitingForARenewalWhilePausedIsReleasedByTheStop() throws Exception {
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> refresher.token() != null), "no first token");
        Thread poller = pollers.get(pollers.size() - 1);
        poller.interrupt();
        poller.join();
        Password refused = refresher.token();
        for (boolean interrupt : new boolean[] {true, false}) {
            AtomicReference<Boolean> renewed = new AtomicReference<>();
            Thread session = new Thread(() -> renewed.set(refresher.renewAfterRefusal(refused)), "session");
            session.start();
            Thread.sleep(300);
            assertTrue(session.isAlive(), "the session did not wait for the poll");
            if (interrupt) {
                session.interrupt();
            } else {
                refresher.close();
            }
            session.join(AWAIT.toMillis());
            assertFalse(session.isAlive(), "the stop did not end the wait (interrupt: " + interrupt + ")");
            assertEquals(Boolean.FALSE, renewed.get());
        }
        assertEquals(1, endpoint.refreshCount(), "refreshed off the poll path");
    }

    @Test
    void anAnswerWithoutAccessTokenKeepsItsRotatedRefreshTokenForTheNextTry() {
        endpoint.answerWithoutAccessToken(1);
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> refresher.token() != null || failure.get() != null), "no token");
        assertNull(failure.get(), "the rotated refresh token was thrown away and the spent one presented again");
        assertEquals(0, endpoint.refusalCount());
        assertTrue(failedAttempts.get() >= 1, "the unusable answer was not counted");
        commit(refresher);
        assertNotNull(offsets.get(), "nothing kept in the offsets");
    }

    @Test
    void anExpiresInOfZeroDoesNotMakeTheRefresherSpin() throws InterruptedException {
        endpoint.answerExpiresIn("0");
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> refresher.token() != null), "no first token");
        Thread.sleep(2_000);
        assertTrue(endpoint.refreshCount() <= 2, endpoint.refreshCount() + " refreshes in two seconds");
        assertNull(failure.get());
    }

    @Test
    void anUnexpectedErrorIsCountedAndRetriedNotTheEndOfRefreshing() {
        AtomicInteger reads = new AtomicInteger();
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken(), () -> {
            if (reads.incrementAndGet() <= 2) {
                throw new IllegalStateException("the offsets could not be read");
            }
            return offsets.get();
        });
        assertTrue(await(() -> refresher.token() != null), "refreshing stopped after an unexpected error");
        assertEquals(2, failedAttempts.get());
        assertNull(failure.get());
    }

    @Test
    void aReaderWithoutATokenFromTask0FailsAfterItsWaitNamingWhatToCheck() {
        OAuth2Reader reader = reader(Duration.ofSeconds(1));
        assertTrue(await(() -> failure.get() != null), "the reader waits for task 0 forever");
        String reason = failure.get().getMessage();
        assertTrue(reason.contains("task 0") && reason.contains("astro.oauth2.token.wait.ms")
                && reason.contains("offset.flush.interval.ms"), reason);
        assertNull(reader.token());
    }

    @Test
    void aReaderWhoseTokenComesInTimeDoesNotFail() throws InterruptedException {
        OAuth2Reader reader = reader(Duration.ofSeconds(3));
        OAuth2Refresher refresher = refresher(endpoint.issueRefreshToken());
        assertTrue(await(() -> refresher.token() != null), "no first token");
        commit(refresher);
        assertTrue(await(() -> reader.token() != null), "the reader did not take the saved token");
        Thread.sleep(4_000);
        assertNull(failure.get());
    }
}
