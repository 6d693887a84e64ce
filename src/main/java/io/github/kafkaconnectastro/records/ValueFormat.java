package io.github.kafkaconnectastro.records;

import java.util.Locale;

/** The shape of a notification record's value ({@code astro.value.format}). */
public enum ValueFormat {
    /** One schema per documented topic, the payload as a struct; undocumented topics as {@link #RAW}. */
    TYPED,
    /** One schema for every topic, the payload as JSON text. */
    RAW;

    /** The config value, e.g. {@code typed}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a value that is not one of {@link #values()}' config values */
    public static ValueFormat fromConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
