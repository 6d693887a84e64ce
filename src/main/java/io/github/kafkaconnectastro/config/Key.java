package io.github.kafkaconnectastro.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key, declared once: its name, type, default, validator, importance, display name, width and
 * documentation, and the Java value it is read as ({@link #read}). The {@link KeyGroup} that lists it gives it its
 * group and its place there. Immutable: each {@code with...} returns a copy with one part set.
 *
 * @param <T> what the key is read as, e.g. {@link Duration} for a key in milliseconds
 */
public final class Key<T> {

    private final String name;
    private final Type type;
    private final Function<Object, T> convert;
    private final Object defaultValue;
    private final ConfigDef.Validator validator;
    private final Importance importance;
    private final Width width;
    private final String displayName;
    private final String documentation;

    private Key(String name, Type type, Function<Object, T> convert, Object defaultValue,
                ConfigDef.Validator validator, Importance importance, Width width, String displayName,
                String documentation) {
        this.name = name;
        this.type = type;
        this.convert = convert;
        this.defaultValue = defaultValue;
        this.validator = validator;
        this.importance = importance;
        this.width = width;
        this.displayName = displayName;
        this.documentation = documentation;
    }

    /** A required key of {@code type} whose parsed value (the Java type ConfigDef gives {@code type}) is read as is. */
    private static <T> Key<T> of(String name, Type type, Function<Object, T> parsed) {
        return new Key<>(name, type, parsed, ConfigDef.NO_DEFAULT_VALUE, null, null, Width.NONE, name, null);
    }

    public static Key<String> string(String name) {
        return of(name, Type.STRING, String.class::cast);
    }

    /** A string key read as a URI, surrounding blanks ignored. */
    public static Key<URI> uri(String name) {
        return string(name).as(text -> URI.create(text.trim()));
    }

    public static Key<Password> password(String name) {
        return of(name, Type.PASSWORD, Password.class::cast);
    }

    public static Key<Boolean> bool(String name) {
        return of(name, Type.BOOLEAN, Boolean.class::cast);
    }

    public static Key<Integer> intValue(String name) {
        return of(name, Type.INT, Integer.class::cast);
    }

    public static Key<Long> longValue(String name) {
        return of(name, Type.LONG, Long.class::cast);
    }

    public static Key<Double> doubleValue(String name) {
        return of(name, Type.DOUBLE, Double.class::cast);
    }

    /** A long key in milliseconds, read as a duration. */
    public static Key<Duration> millis(String name) {
        return longValue(name).as(Duration::ofMillis);
    }

    @SuppressWarnings("unchecked")
    public static Key<List<String>> list(String name) {
        return of(name, Type.LIST, value -> (List<String>) value);
    }

    /** The same key, read through {@code then} as well (never called for a null value). */
    public <R> Key<R> as(Function<? super T, R> then) {
        return new Key<>(name, type, convert.andThen(then), defaultValue, validator, importance, width, displayName,
                documentation);
    }

    /** The default, in the form a user would write it or as the parsed type; null for none. Not set: required. */
    public Key<T> withDefault(Object value) {
        return new Key<>(name, type, convert, value, validator, importance, width, displayName, documentation);
    }

    public Key<T> withValidator(ConfigDef.Validator value) {
        return new Key<>(name, type, convert, defaultValue, value, importance, width, displayName, documentation);
    }

    public Key<T> withImportance(Importance value) {
        return new Key<>(name, type, convert, defaultValue, validator, value, width, displayName, documentation);
    }

    /** How the Connect REST API and UIs show the key. */
    public Key<T> withDisplay(Width w, String display) {
        return new Key<>(name, type, convert, defaultValue, validator, importance, w, display, documentation);
    }

    public Key<T> withDoc(String value) {
        return new Key<>(name, type, convert, defaultValue, validator, importance, width, displayName, value);
    }

    public String name() {
        return name;
    }

    /** The default as it is read; null when the key has none, or none is set. */
    public T defaultValue() {
        return convert(ConfigDef.NO_DEFAULT_VALUE.equals(defaultValue) ? null
                : ConfigDef.parseType(name, defaultValue, type));
    }

    /** The key's value in parsed values ({@code AbstractConfig.values()} or validate()'s); null when absent. */
    public T read(Map<String, ?> parsed) {
        return convert(parsed.get(name));
    }

    T convert(Object parsed) {
        return parsed == null ? null : convert.apply(parsed);
    }

    /** Adds the key to {@code def}, in {@code group} at {@code order}; null and -1 for a key in no group. */
    void define(ConfigDef def, String group, int order) {
        def.define(name, type, defaultValue, validator, Objects.requireNonNull(importance, name), documentation,
                group, order, width, displayName);
    }

    @Override
    public String toString() {
        return name;
    }
}
