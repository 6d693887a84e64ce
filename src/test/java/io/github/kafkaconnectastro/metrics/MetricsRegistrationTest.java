package io.github.kafkaconnectastro.metrics;

import io.github.kafkaconnectastro.protocol.Subscription;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsRegistrationTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final Subscription OWN = new Subscription("channel.tips", "");
    private static final Subscription ROOM = new Subscription("channel.activities", "5f2b0c1e9a1d");

    private static AstroTaskMetrics metrics() {
        return new AstroTaskMetrics(new BufferGauges(() -> 10, () -> 10_000, () -> 0, () -> 0), List.of(OWN, ROOM));
    }

    @Test
    void namesPlainValuesAsKafkaDoesAndQuotesTheRest() {
        assertEquals("kafka.connect.astro:type=task-metrics,connector=astro-source,task=3",
                MetricsRegistration.taskMetricsName("astro-source", 3).toString());
        assertEquals("kafka.connect.astro:type=task-metrics,connector=\"my astro, eu\",task=0",
                MetricsRegistration.taskMetricsName("my astro, eu", 0).toString());
        assertEquals("kafka.connect.astro:type=subscription-metrics,connector=a,task=0,topic=channel.tips,room=\"\"",
                MetricsRegistration.subscriptionMetricsName("a", 0, OWN).toString());
    }

    @Test
    void registersTaskAndSubscriptionBeansAndUnregistersThemOnClose() throws Exception {
        MetricsRegistration registration = MetricsRegistration.register("reg-close", 0, metrics());
        ObjectName task = MetricsRegistration.taskMetricsName("reg-close", 0);
        ObjectName room = MetricsRegistration.subscriptionMetricsName("reg-close", 0, ROOM);
        assertTrue(SERVER.isRegistered(task));
        assertTrue(SERVER.isRegistered(room));
        assertTrue(SERVER.isRegistered(MetricsRegistration.subscriptionMetricsName("reg-close", 0, OWN)));
        assertEquals("PENDING", SERVER.getAttribute(room, "State"));
        assertEquals(false, SERVER.getAttribute(task, "Connected"));

        registration.close();
        assertEquals(0, SERVER.queryNames(new ObjectName(MetricsRegistration.DOMAIN + ":connector=reg-close,*"), null)
                .size());
    }

    @Test
    void restartedTaskReplacesLeftoverBeansAndTheOldStopLeavesThemAlone() throws Exception {
        AstroTaskMetrics first = metrics();
        AstroTaskMetrics second = metrics();
        second.connected(true);
        MetricsRegistration old = MetricsRegistration.register("restarted", 1, first);
        MetricsRegistration current = MetricsRegistration.register("restarted", 1, second);
        ObjectName task = MetricsRegistration.taskMetricsName("restarted", 1);
        assertEquals(true, SERVER.getAttribute(task, "Connected"), "the new run's bean replaced the leftover");

        old.close();
        assertTrue(SERVER.isRegistered(task), "a late stop of the old run must not remove the new run's bean");
        assertTrue(SERVER.isRegistered(MetricsRegistration.subscriptionMetricsName("restarted", 1, ROOM)));

        current.close();
        assertFalse(SERVER.isRegistered(task));
    }

    @Test
    void rateLimitAnswersAreCountedApartFromSubscribeErrors() {
        AstroTaskMetrics metrics = metrics();
        metrics.subscribeError(ROOM, "err_internal_error");
        metrics.subscribeError(ROOM, "ERR_UNAUTHORIZED");
        metrics.subscribeError(ROOM, "rate_limit_exceeded");
        metrics.rateLimitResponse();
        assertEquals(2, metrics.getSubscribeErrors());
        assertEquals(java.util.Map.of("err_internal_error", 1L, "err_unauthorized", 1L),
                metrics.getSubscribeErrorsByCode());
        assertEquals(1, metrics.getRateLimitResponses());
        assertEquals("err_unauthorized", metrics.subscription(ROOM).getLastErrorCode());
    }

    @Test
    void codesTheProtocolDoesNotDocumentShareOneKey() {
        AstroTaskMetrics metrics = metrics();
        for (int i = 0; i < 1_000; i++) {
            metrics.subscribeError(ROOM, "err_made_up_" + i);
        }
        assertEquals(java.util.Map.of("other", 1_000L), metrics.getSubscribeErrorsByCode(),
                "a server must not grow the map with strings of its choosing");
    }
}
