package io.fedlink.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of data generation (one client at a time), shown only once it has taken a while: at
 * large K it takes minutes, at the paper's K = 100 a fraction of a second that needs no bar. On a
 * terminal a bar; otherwise a line every 10% on standard error.
 */
final class GenerationProgress implements IntConsumer, AutoCloseable {

    /** How long generation runs before progress appears. */
    static final long DEFAULT_DELAY_NANOS = 1_000_000_000L;

    private final int clients;
    private final PrintStream log;
    private final boolean terminal;
    private final long showAfter;
    private ProgressBar bar;
    private boolean shown;
    private int lastDecile;

    GenerationProgress(int clients) {
        this(clients, System.err, System.console() != null, DEFAULT_DELAY_NANOS);
    }

    /** For tests: where the lines go, whether to draw a bar, and after how long. */
    GenerationProgress(int clients, PrintStream log, boolean terminal, long delayNanos) {
        this.clients = clients;
        this.log = log;
        this.terminal = terminal;
        this.showAfter = System.nanoTime() + delayNanos;
    }

    @Override
    public void accept(int done) {
        if (!shown) {
            if (System.nanoTime() < showAfter || done >= clients) {
                return;
            }
            shown = true;
            if (terminal) {
                bar = new ProgressBarBuilder().setTaskName("generating data").setInitialMax(clients)
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" clients", 1).setUpdateIntervalMillis(250).build();
            } else {
                log.printf(Locale.ROOT, "generating data: %d clients, one at a time%n", clients);
            }
        }
        if (bar != null) {
            bar.stepTo(done);
            return;
        }
        final int decile = (int) ((long) done * 10 / clients);
        if (decile > lastDecile) {
            lastDecile = decile;
            log.printf(Locale.ROOT, "generating data: %3d%% (%d/%d clients)%n", decile * 10, done, clients);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
