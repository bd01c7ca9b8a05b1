package io.fedlink.cli;

import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run has finished so far, and what it leaves behind if it stops early: a run interrupted
 * (Ctrl-C, through a JVM shutdown hook) or failed (an engine that throws) writes the series it
 * completed under names that cannot pass for a full result ({@code curves-incomplete.csv},
 * {@code summary-incomplete.csv}, with {@code --per-trial} {@code trials-incomplete.csv}), its
 * {@code command.txt}, and {@code INCOMPLETE.txt}: why it stopped, what was kept, and how to resume
 * or rerun. The usual names are written only by a run that completed.
 *
 * <p>Passes progress on to a delegate (the console's) and keeps every completed series.
 */
final class PartialResults implements ProgressListener {

    /** Where a run is: the interrupt hook and the main thread agree through it which one writes. */
    private enum State { RUNNING, FINISHING, DONE, STOPPED }

    /** How long an interrupt waits for the full outputs being written to be complete. */
    private static final long FINISH_WAIT_MILLIS = 60_000;

    private final ProgressListener delegate;
    private final List<SeriesResult> completed = new ArrayList<>();
    private final int seriesTotal;
    private final long trialsTotal;
    private long trialsDone;
    private State state = State.RUNNING;
    private Thread hook;

    /** What to write and where; filled in before the run starts. */
    record Target(Path dir, ResultFiles.Run run, boolean perTrial, String typed, String reproducing,
                  boolean checkpointing, String command) {
    }

    private Target target;

    PartialResults(ProgressListener delegate, int seriesTotal, long trialsTotal) {
        this.delegate = delegate;
        this.seriesTotal = seriesTotal;
        this.trialsTotal = trialsTotal;
    }

    @Override
    public void seriesStarted(SeriesSpec series) {
        delegate.seriesStarted(series);
    }

    @Override
    public void trialCompleted(SeriesSpec series, int trial) {
        synchronized (this) {
            trialsDone++;
        }
        delegate.trialCompleted(series, trial);
    }

    @Override
    public void trialAccount(SeriesSpec series, int trial, int clients, long droppedPolls) {
        delegate.trialAccount(series, trial, clients, droppedPolls);
    }

    @Override
    public synchronized void seriesCompleted(SeriesResult result) {
        completed.add(result);
        delegate.seriesCompleted(result);
    }

    /** The series completed so far, in the order they finished (the experiment's). */
    synchronized List<SeriesResult> completed() {
        return List.copyOf(completed);
    }

    /**
     * Arms the interrupt hook: from now until {@link #finishing()}, a JVM shutdown (Ctrl-C) writes the
     * incomplete outputs and tells {@code err} what was kept.
     */
    synchronized void armInterruptHook(Target where, PrintWriter err) {
        this.target = where;
        this.err = err;
        hook = new Thread(this::interruptNow, "fedlink-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private PrintWriter err;

    /** What the shutdown hook runs: writes the incomplete outputs unless the run finished or failed first. */
    void interruptNow() {
        synchronized (this) {
            final long deadline = System.currentTimeMillis() + FINISH_WAIT_MILLIS;
            while (state == State.FINISHING && System.currentTimeMillis() < deadline) {
                try {
                    wait(1000);           // the full outputs are being written: let them complete
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (state != State.RUNNING) {
                return;                   // finished (or failed) first: its own outputs stand
            }
            state = State.STOPPED;
            err.println();
            err.println(target.command() + ": interrupted");
            report(err, write("interrupted (Ctrl-C or a termination signal)"));
            err.flush();
        }
    }

    /**
     * The run returned: returns false when an interrupt got there first (its incomplete outputs
     * stand, and the JVM is exiting), true when the caller may write the full outputs and must then
     * call {@link #finished()}; an interrupt arriving meanwhile waits for that.
     */
    synchronized boolean finishing() {
        if (state == State.STOPPED) {
            return false;
        }
        state = State.FINISHING;
        return true;
    }

    /** The full outputs are written: disarms the hook. */
    synchronized void finished() {
        state = State.DONE;
        notifyAll();
        disarm();
    }

    /** The run failed: writes the incomplete outputs with the reason, returns what to tell the user. */
    synchronized String failed(String reason) {
        if (state == State.STOPPED) {
            return null;
        }
        state = State.STOPPED;
        disarm();
        return write(reason);
    }

    private void disarm() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook will find the state settled
            }
            hook = null;
        }
    }

    /** Writes the incomplete outputs; returns the lines that say what was kept and what to do next. */
    private String write(String reason) {
        final Path dir = target.dir();
        final List<SeriesResult> kept = List.copyOf(completed);
        final StringBuilder text = new StringBuilder();
        try {
            OutputFolder.removeOutputs(dir);
            if (!kept.isEmpty()) {
                ResultFiles.writeCurves(dir.resolve(ResultFiles.incomplete(ResultFiles.CURVES)), kept);
                ResultFiles.writeSummary(dir.resolve(ResultFiles.incomplete(ResultFiles.SUMMARY)), target.run(), kept);
                if (target.perTrial()) {
                    ResultFiles.writeTrials(dir.resolve(ResultFiles.incomplete(ResultFiles.TRIALS)), kept);
                }
            }
            ResultFiles.writeCommand(dir, target.typed(), target.reproducing(), target.run());
        } catch (IOException | RuntimeException e) {
            text.append("could not write the partial results: ").append(e.getMessage()).append('\n');
        }
        text.append(summary(reason, kept));
        try {
            OutputFolder.write(dir.resolve(ResultFiles.INCOMPLETE), text.toString());
        } catch (IOException e) {
            return text + "could not write " + dir.resolve(ResultFiles.INCOMPLETE) + ": " + e.getMessage() + "\n";
        }
        return text.toString();
    }

    private String summary(String reason, List<SeriesResult> kept) {
        final Path dir = target.dir();
        final StringBuilder b = new StringBuilder();
        b.append("This run did not finish: ").append(reason).append(".\n");
        b.append("Kept in ").append(dir).append(": ").append(kept.size()).append(" of ").append(seriesTotal)
                .append(" series complete");
        if (kept.isEmpty()) {
            b.append(" (no curves written)");
        } else {
            b.append(" (").append(ResultFiles.incomplete(ResultFiles.CURVES)).append(", ")
                    .append(ResultFiles.incomplete(ResultFiles.SUMMARY))
                    .append(target.perTrial() ? ", " + ResultFiles.incomplete(ResultFiles.TRIALS) : "")
                    .append("): ");
            b.append(String.join("; ", kept.stream().map(r -> r.spec().label()).toList()));
        }
        b.append(".\n");
        final long done;
        synchronized (this) {
            done = trialsDone;
        }
        b.append(done).append(" of ").append(trialsTotal).append(" trials had finished.\n");
        if (target.checkpointing()) {
            b.append("To resume: run the same command again; the checkpoint in ").append(dir.resolve(Checkpoints.FOLDER))
                    .append(" keeps every completed trial.\n");
        } else {
            b.append("To rerun: the same command with --force (these partial results are then replaced) or another "
                    + "--out; add --checkpoint-every N to keep each trial as it finishes, so that a run stopped "
                    + "again can be resumed.\n");
        }
        b.append("The command: ").append(target.reproducing()).append('\n');
        return b.toString();
    }

    private static void report(PrintWriter out, String text) {
        out.print(text);
        out.flush();
    }
}
