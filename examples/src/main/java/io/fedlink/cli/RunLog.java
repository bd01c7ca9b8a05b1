package io.fedlink.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Where a run's log goes. The console gets one line per problem and no stack traces: a failure that
 * ends the run is reported by the command itself, in one line naming the actor, the trial and the
 * cause. Everything, stack traces included, goes to {@value #FILE} in the output folder. With
 * FEDLINK_DEBUG set the console shows stack traces too.
 */
final class RunLog {

    /** The log file in a run's output folder. */
    static final String FILE = "fedlink.log";

    private static final String APPENDER = "run-log";

    private RunLog() {
    }

    /**
     * From now on, this JVM's warnings and errors also go to {@code dir}/fedlink.log.
     *
     * @param append true to keep an earlier run's log (a resumed run); false to start it afresh
     */
    static synchronized void into(Path dir, boolean append) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;                                                // another SLF4J binding: leave it be
        }
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final ch.qos.logback.core.Appender<ILoggingEvent> previous = root.getAppender(APPENDER);
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
        final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n");
        encoder.start();
        final FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName(APPENDER);
        file.setFile(dir.resolve(FILE).toString());
        file.setAppend(append);
        file.setEncoder(encoder);
        file.start();
        root.addAppender(file);
    }

    /**
     * The console's filter: an event that carries an exception is the log of a failure the command
     * reports itself (or, on a node, a fault the log file keeps in full); it is left off the console
     * unless FEDLINK_DEBUG is set.
     */
    public static final class ConsoleFilter extends Filter<ILoggingEvent> {
        private final boolean debug = System.getenv("FEDLINK_DEBUG") != null;

        @Override
        public FilterReply decide(ILoggingEvent event) {
            return event.getThrowableProxy() != null && !debug ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
