package io.github.kafkaconnectastro.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.kafkaconnectastro.emulator.Ulid;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.kafkaconnectastro.integration.ConnectFixture.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector's records through a real schema registry, as a Confluent-ecosystem user runs it: the worker writes
 * values with an Avro converter in the Confluent wire format, registering each topic's schema under
 * {@code <topic>-value}; a consumer that knows nothing of Connect reads the raw bytes, fetches the writer schema by
 * the id they carry and decodes them with plain Apache Avro. The registry is Apicurio Registry 2.6 through its
 * Confluent-compatible API.
 */
class SchemaRegistryIT {

    private static final String TIPS = "astro.channel.tips";
    private static final String ACTIVITIES = "astro.channel.activities";
    private static final Instant TIP_TS = Instant.parse("2026-01-10T18:05:02Z");
    private static final Instant TIP_CREATED_AT = Instant.parse("2026-01-10T18:04:58Z");
    private static final Instant FOLLOW_CREATED_AT = Instant.parse("2026-01-10T18:05:03Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ApicurioRegistry registry = new ApicurioRegistry();

    @RegisterExtension
    static final ConnectFixture fixture = ConnectFixture.withWorkers(1);

    @Test
    void registersEachTopicsTypedSchemaAndWritesRecordsAPlainAvroConsumerDecodes() throws Exception {
        String room = "a1a1a1a1a1a1a1a1a1a1a1a1";
        fixture.startConnector("registry-wire",
                List.of(new String[] {"channel.tips", room}, new String[] {"channel.activities", room}),
                registry.avroValueConverter());

        String tipId = Ulid.nextId();
        fixture.emulator.publishWithId(tipId, TIP_TS, "channel.tips", room, tip(room));
        String followId = fixture.emulator.publish("channel.activities", room, follow(room));

        Map<String, ConsumerRecord<byte[], byte[]>> byTopic = new HashMap<>();
        fixture.consumeUntil(Duration.ofSeconds(60), r -> forRoom(r, room).size() >= 2, TIPS, ACTIVITIES)
                .stream().filter(r -> key(r).equals(room)).forEach(r -> byTopic.put(r.topic(), r));
        assertEquals(List.of(ACTIVITIES, TIPS), byTopic.keySet().stream().sorted().toList(), "a record per topic");

        List<String> subjects = registry.api().subjects();
        assertTrue(subjects.containsAll(List.of(TIPS + "-value", ACTIVITIES + "-value")), subjects.toString());
        ConfluentAvroReader reader = new ConfluentAvroReader(registry.api());
        for (ConsumerRecord<byte[], byte[]> record : byTopic.values()) {
            assertEquals(registry.api().latest(record.topic() + "-value").get("id").asInt(),
                    ConfluentAvroReader.schemaId(record.value()),
                    "the id in " + record.topic() + "'s record names its subject's schema");
        }

        GenericRecord tip = reader.read(byTopic.get(TIPS).value());
        assertEquals("io.github.kafkaconnectastro.ChannelTips", tip.getSchema().getFullName());
        assertEquals(tipId, text(tip, "id"));
        assertTimestamp(tip, "ts", TIP_TS);
        assertEquals(room, text(tip, "room"));
        GenericRecord tipData = (GenericRecord) tip.get("data");
        assertTimestamp(tipData, "createdAt", TIP_CREATED_AT);
        GenericRecord donation = (GenericRecord) tipData.get("donation");
        assertInstanceOf(Double.class, donation.get("amount"), "the amount is an Avro double");
        assertEquals(5.5, donation.get("amount"));
        assertEquals("EUR", text(donation, "currency"));
        GenericRecord donor = (GenericRecord) donation.get("user");
        assertEquals("donor_one", text(donor, "username"));
        assertNull(donor.get("email"), "the donor's email is left out by default");
        assertNull(donor.get("geo"), "the donor's location is left out by default");
        assertNull(tip.get("extra"), "nothing unknown, and the personal data is not kept there either");
        assertNull(tip.get("raw"));

        GenericRecord follow = reader.read(byTopic.get(ACTIVITIES).value());
        assertEquals("io.github.kafkaconnectastro.ChannelActivities", follow.getSchema().getFullName());
        assertEquals(followId, text(follow, "id"));
        assertEquals("follow", text(follow, "type"));
        GenericRecord followData = (GenericRecord) follow.get("data");
        assertEquals("follow", text(followData, "type"));
        assertEquals(room, text(followData, "channel"));
        assertTimestamp(followData, "createdAt", FOLLOW_CREATED_AT);
        assertEquals("follower_one", text((GenericRecord) followData.get("data"), "username"));
    }

    /**
     * The next connector version's schema, the registered one with one optional field added to the envelope
     * ({@code ["null","string"]}, default null), registers under {@code BACKWARD}; a consumer on it reads what the
     * running version writes. That schema with the tip amount retyped as a string is refused.
     */
    @Test
    void acceptsAnOptionalFieldUnderBackwardCompatibilityAndRefusesARetypedOne() throws Exception {
        String room = "b2b2b2b2b2b2b2b2b2b2b2b2";
        String topic = "evolution.channel.tips";
        String subject = topic + "-value";
        Map<String, String> overrides = new HashMap<>(registry.avroValueConverter());
        overrides.put("topic.name.pattern", "evolution.${topic}");
        fixture.startConnector("registry-evolution", ConnectFixture.pairs("channel.tips", room), overrides);
        fixture.emulator.publish("channel.tips", room, tip(room));
        byte[] first = valuesFor(topic, room, 1).get(0);

        JsonNode v1 = registry.api().latest(subject);
        registry.api().setCompatibility(subject, "BACKWARD");
        assertEquals("BACKWARD", registry.api().compatibility(subject));

        String v2 = withOptionalString(v1.get("schema").asText(), "region");
        assertTrue(registry.api().isCompatible(subject, v2), "an added optional field is backward compatible");
        ConfluentRegistryApi.Response registered = registry.api().register(subject, v2);
        assertEquals(200, registered.status(), registered.body());
        assertNotEquals(v1.get("id").asInt(), registered.json().get("id").asInt());
        assertEquals(List.of(1, 2), registry.api().versions(subject));

        String retyped = retyped(v2, "string", "data", "donation", "amount");
        assertFalse(registry.api().isCompatible(subject, retyped), "a retyped field is not backward compatible");
        ConfluentRegistryApi.Response refused = registry.api().register(subject, retyped);
        assertEquals(409, refused.status(), refused.body());
        assertEquals(List.of(1, 2), registry.api().versions(subject), "the refused schema is no version");

        // The running version goes on writing what v2's consumers read: the field it does not know is null.
        fixture.emulator.publish("channel.tips", room, tip(room, "6a00000000000000000000f2"));
        byte[] second = valuesFor(topic, room, 2).get(1);
        Schema reader2 = new Schema.Parser().parse(v2);
        ConfluentAvroReader reader = new ConfluentAvroReader(registry.api());
        for (byte[] value : List.of(first, second)) {
            GenericRecord read = reader.read(value, reader2);
            assertNull(read.get("region"));
            assertEquals(5.5, ((GenericRecord) ((GenericRecord) read.get("data")).get("donation")).get("amount"));
        }
    }

    /** The values written to {@code topic} for {@code room}, once there are at least {@code n}. */
    private static List<byte[]> valuesFor(String topic, String room, int n) {
        List<byte[]> values = forRoom(fixture.consumeUntil(Duration.ofSeconds(60),
                r -> forRoom(r, room).size() >= n, topic), room).stream().map(ConsumerRecord::value).toList();
        assertEquals(n, values.size(), "records in " + topic + " for " + room);
        return values;
    }

    private static List<ConsumerRecord<byte[], byte[]>> forRoom(List<ConsumerRecord<byte[], byte[]>> records,
                                                               String room) {
        return records.stream().filter(r -> key(r).equals(room)).toList();
    }

    private static String text(GenericRecord record, String field) {
        Object value = record.get(field);
        return value == null ? null : value.toString();
    }

    /** The field is an Avro {@code timestamp-millis} (optional or not) holding {@code expected}. */
    private static void assertTimestamp(GenericRecord record, String field, Instant expected) {
        Schema schema = record.getSchema().getField(field).schema();
        if (schema.isUnion()) {
            schema = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
        }
        assertEquals(LogicalTypes.timestampMillis(), schema.getLogicalType(), field + "'s logical type");
        assertEquals(expected.toEpochMilli(), record.get(field), field);
    }

    /** The record schema with an optional string field {@code name} appended, as the converter writes one. */
    private static String withOptionalString(String schema, String name) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(schema);
        ObjectNode field = ((ArrayNode) root.get("fields")).addObject();
        field.put("name", name);
        field.putArray("type").add("null").add("string");
        field.putNull("default");
        return JSON.writeValueAsString(root);
    }

    /** The record schema with the field at {@code path} (through nested, optional records) of type {@code type}. */
    private static String retyped(String schema, String type, String... path) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(schema);
        ObjectNode record = root;
        for (int i = 0; i < path.length - 1; i++) {
            record = recordIn(field(record, path[i]).get("type"));
        }
        ObjectNode leaf = field(record, path[path.length - 1]);
        JsonNode current = leaf.get("type");
        if (current.isArray()) {
            // An optional field: keep the null branch, replace the other.
            ArrayNode branches = (ArrayNode) current;
            for (int i = 0; i < branches.size(); i++) {
                if (!"null".equals(branches.get(i).asText())) {
                    branches.set(i, TextNode.valueOf(type));
                }
            }
        } else {
            leaf.put("type", type);
        }
        return JSON.writeValueAsString(root);
    }

    private static ObjectNode field(ObjectNode record, String name) {
        for (JsonNode field : record.get("fields")) {
            if (name.equals(field.get("name").asText())) {
                return (ObjectNode) field;
            }
        }
        throw new AssertionError("no field " + name + " in " + record);
    }

    /** The record schema a field's type holds, itself or as the non-null branch of an optional union. */
    private static ObjectNode recordIn(JsonNode type) {
        if (type.isArray()) {
            for (JsonNode branch : type) {
                if (branch.isObject()) {
                    return (ObjectNode) branch;
                }
            }
        }
        if (type.isObject()) {
            return (ObjectNode) type;
        }
        throw new AssertionError("not a record: " + type);
    }

    /** A tip as TOPICS.md shows one, with the donor's email and location. */
    private static String tip(String room) {
        return tip(room, "6a00000000000000000000f1");
    }

    /** The same with another event id: the connector drops a second tip with the same _id as a duplicate. */
    private static String tip(String room, String eventId) {
        return """
                {"_id":"%s","channel":"%s","provider":"paypal","approved":"allowed",
                 "status":"success","createdAt":"2026-01-10T18:04:58.000Z","updatedAt":"2026-01-10T18:05:02.000Z",
                 "transactionId":"TXN-1","donation":{"amount":5.5,"currency":"EUR","message":"hello",
                 "paymentMethod":"scheme","user":{"username":"donor_one","email":"donor@example.com","geo":"DE",
                 "channel":"%s"}}}""".formatted(eventId, room, room);
    }

    /** A follow on channel.activities, in the shape TOPICS.md documents. */
    private static String follow(String room) {
        return """
                {"_id":"6a00000000000000000000a1","activityId":"6a00000000000000000000a1","type":"follow",
                 "provider":"twitch","channel":"%s","createdAt":"2026-01-10T18:05:03.000Z",
                 "data":{"username":"follower_one","displayName":"Follower One","providerId":"123456"}}"""
                .formatted(room);
    }
}
