package io.fedlink.cli;

import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesSpec;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress over all trials of all series, on standard error: a live bar on a terminal, and a plain
 * line every 10% when the output goes to a file or a CI log (where a redrawn bar is noise).
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {

    private final ProgressBar bar;
    private final PrintStream log;
    private final String task;
    private final long total;
    private long done;
    private long lastDecile;
    private boolean closed;

    ConsoleProgress(String task, long totalTrials) {
        this.task = task;
        this.total = totalTrials;
        if (System.console() != null) {
            this.bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(totalTrials)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" trials", 1)
                    .setUpdateIntervalMillis(250)
                    .build();
            this.log = null;
        } else {
            this.bar = null;
            this.log = System.err;
        }
    }

    @Override
    public synchronized void seriesStarted(SeriesSpec series) {
        if (bar != null) {
            bar.setExtraMessage(" " + series.label());
        } else {
            log.println(task + ": series " + series.label());
        }
    }

    @Override
    public synchronized void trialCompleted(SeriesSpec series, int trial) {
        done++;
        if (bar != null) {
            bar.step();
            return;
        }
        final long decile = done * 10 / total;
        if (decile > lastDecile) {
            lastDecile = decile;
            log.println(String.format(Locale.ROOT, "%s: %3d%% (%d/%d trials)", task, decile * 10, done, total));
        }
    }

    private int expectedClients;

    /** Sets the K a trial should have, to report trials that ran short of clients. */
    ConsoleProgress expecting(int clients) {
        this.expectedClients = clients;
        return this;
    }

    @Override
    public synchronized void trialAccount(SeriesSpec series, int trial, int clients, long droppedPolls) {
        if (droppedPolls == 0 && (expectedClients == 0 || clients == expectedClients)) {
            return;
        }
        final String line = String.format(Locale.ROOT, "%s: %s trial %d: %d of %d clients took part, %d polls dropped",
                task, series.label(), trial, clients, expectedClients == 0 ? clients : expectedClients, droppedPolls);
        if (bar != null) {
            bar.setExtraMessage(" " + line);
        } else {
            log.println(line);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null && !closed) {
            bar.close();
        }
        closed = true;
    }
}
