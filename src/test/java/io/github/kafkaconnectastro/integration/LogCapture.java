package io.github.kafkaconnectastro.integration;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Captures, for as long as it is open, everything logged under some logger names at given levels, with each
 * line's thread and {@code connector.context}. While open those loggers log only here (not to the console), so
 * a verbose level does not flood the build output; on close the test configuration is restored.
 */
public final class LogCapture implements AutoCloseable {

    /** One captured line: the message as rendered, with the stack trace of its exception if any. */
    public record Line(String logger, Level level, String thread, String context, String text) {
        @Override
        public String toString() {
            return level + " [" + thread + "] " + (context == null ? "(no context) " : context) + logger + ": " + text;
        }
    }

    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Map<String, LoggerConfig> replaced = new HashMap<>();
    private final Appender appender = new Appender();

    private LogCapture() {
    }

    public static LogCapture of(Map<String, Level> levels) {
        LogCapture capture = new LogCapture();
        capture.install(levels);
        return capture;
    }

    private void install(Map<String, Level> levels) {
        Configuration config = context.getConfiguration();
        appender.start();
        config.addAppender(appender);
        for (Map.Entry<String, Level> entry : levels.entrySet()) {
            LoggerConfig existing = config.getLoggers().get(entry.getKey());
            replaced.put(entry.getKey(), existing);
            if (existing != null) {
                config.removeLogger(entry.getKey());
            }
            LoggerConfig capturing = new LoggerConfig(entry.getKey(), entry.getValue(), false);
            capturing.addAppender(appender, null, null);
            config.addLogger(entry.getKey(), capturing);
        }
        context.updateLoggers();
    }

    public List<Line> lines() {
        return new ArrayList<>(lines);
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (Map.Entry<String, LoggerConfig> entry : replaced.entrySet()) {
            config.removeLogger(entry.getKey());
            if (entry.getValue() != null) {
                config.addLogger(entry.getKey(), entry.getValue());
            }
        }
        context.updateLoggers();
        appender.stop();
    }

    private final class Appender extends AbstractAppender {
        Appender() {
            super("it-log-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder text = new StringBuilder(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                text.append('\n').append(trace);
            }
            lines.add(new Line(event.getLoggerName(), event.getLevel(), event.getThreadName(),
                    event.getContextData().getValue("connector.context"), text.toString()));
        }
    }
}
