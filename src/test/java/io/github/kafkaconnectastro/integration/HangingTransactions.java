package io.github.kafkaconnectastro.integration;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Finds and aborts hanging transactions on a topic, as {@code kafka-transactions.sh find-hanging} and
 * {@code abort} do: a partition holds an open transaction of a producer whose transaction coordinator no longer has
 * it open (its state is not Ongoing, or it moved to a later epoch). No commit or abort marker will ever come for it,
 * so a read_committed consumer cannot read past it: Connect's workers, which read their offsets topic to its end
 * before they start a connector or task, wait for ever.
 *
 * <p>Seen after the only broker was stopped in the middle of exactly-once transactions and started again (see
 * docs/delivery-guarantees.md): a Kafka fault, not the connector's, which an operator clears with the commands
 * above.
 */
final class HangingTransactions {

    private HangingTransactions() {
    }

    /**
     * Aborts the transactions on {@code topic} found hanging twice, {@code confirm} apart: a transaction whose
     * coordinator is writing its markers right now looks the same for a moment, and must not be aborted.
     *
     * @return what was aborted, as text
     */
    static List<String> abort(Admin admin, String topic, Duration confirm)
            throws ExecutionException, InterruptedException {
        List<Map.Entry<TopicPartition, ProducerState>> first = find(admin, topic);
        if (first.isEmpty()) {
            return List.of();
        }
        Thread.sleep(confirm.toMillis());
        List<String> aborted = new ArrayList<>();
        for (Map.Entry<TopicPartition, ProducerState> hanging : find(admin, topic)) {
            if (!first.contains(hanging)) {
                continue;
            }
            ProducerState producer = hanging.getValue();
            admin.abortTransaction(new AbortTransactionSpec(hanging.getKey(), producer.producerId(),
                    (short) producer.producerEpoch(), producer.coordinatorEpoch().orElse(-1))).all().get();
            aborted.add(hanging.getKey() + " " + producer);
        }
        return aborted;
    }

    /** The open transactions on {@code topic}'s partitions that their coordinator does not have open. */
    static List<Map.Entry<TopicPartition, ProducerState>> find(Admin admin, String topic)
            throws ExecutionException, InterruptedException {
        List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<Long, String> transactionalIds = admin.listTransactions().all().get().stream()
                .collect(Collectors.toMap(TransactionListing::producerId, TransactionListing::transactionalId,
                        (a, b) -> a));
        Map<String, TransactionDescription> coordinators = admin
                .describeTransactions(transactionalIds.values()).all().get();
        List<Map.Entry<TopicPartition, ProducerState>> hanging = new ArrayList<>();
        admin.describeProducers(partitions).all().get().forEach((partition, producers) -> {
            for (ProducerState producer : producers.activeProducers()) {
                if (producer.currentTransactionStartOffset().isEmpty()) {
                    continue;
                }
                TransactionDescription coordinator = coordinators.get(transactionalIds.get(producer.producerId()));
                boolean open = coordinator != null && coordinator.state() == TransactionState.ONGOING
                        && coordinator.producerEpoch() == producer.producerEpoch()
                        && coordinator.topicPartitions().contains(partition);
                if (!open) {
                    hanging.add(Map.entry(partition, producer));
                }
            }
        });
        return hanging;
    }
}
