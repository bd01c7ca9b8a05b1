package io.fedlink.cli;

import io.fedlink.actors.ExperimentCheckpoint;
import io.fedlink.core.Numerics;
import io.fedlink.core.engine.Experiment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** The --checkpoint-every and --fresh flags, shared by `simulate` and `node`. */
final class Checkpoints {

    static final String FOLDER = "checkpoint";

    private Checkpoints() {
    }

    /**
     * Opens the experiment's checkpoint in {@code out}/checkpoint, or returns null without one.
     *
     * @param fingerprint the command line that reproduces the experiment: a checkpoint of another one is refused
     */
    static ExperimentCheckpoint open(CommandLine cmd, PrintWriter console, Integer every, boolean fresh, Path out,
                                     String fingerprint, Experiment experiment) throws IOException {
        if (every == null) {
            if (fresh) {
                throw ExperimentOptions.usage(cmd, "--fresh goes with --checkpoint-every N");
            }
            return null;
        }
        if (every < 1) {
            throw ExperimentOptions.usage(cmd, "--checkpoint-every " + every + ": at least every 1 round");
        }
        final Path dir = out.resolve(FOLDER);
        if (fresh) {
            ExperimentCheckpoint.clear(dir);
        }
        final ExperimentCheckpoint checkpoint;
        try {
            checkpoint = ExperimentCheckpoint.open(dir,
                    fingerprint + " (fedlink " + Fedlink.version() + ", " + Numerics.describe() + ")", every);
        } catch (IllegalStateException e) {
            throw ExperimentOptions.usage(cmd, "--checkpoint-every: " + e.getMessage()
                    + "\nuse another --out, or --fresh to discard it");
        }
        int done = 0;
        for (int s = 0; s < experiment.series().size(); s++) {
            done += checkpoint.completedTrials(s, experiment.rounds()).size();
        }
        final int total = experiment.series().size() * experiment.trials();
        if (done > 0) {
            console.printf("resuming from the checkpoint in %s: %d of %d trials already complete%n", dir, done, total);
        } else {
            console.printf("checkpointing to %s every %d rounds%n", dir, every);
        }
        console.flush();
        return checkpoint;
    }
}
