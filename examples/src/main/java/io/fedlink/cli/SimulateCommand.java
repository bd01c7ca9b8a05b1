package io.fedlink.cli;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SimulationEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedlink simulate}: runs an experiment and writes its curves, summary, plot and command line. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a Monte Carlo experiment and writes its learning curves.",
            "Every combination of algorithm x selected x link noise is one series.",
            "Writes curves.csv, summary.csv, nmse.png and command.txt to --out, and prints the summary.",
            "With no arguments it runs the paper's Figure 4 (paper-fig4)."
        })
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ExperimentOptions.Simulation options;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: results/<preset>, or results/<timestamp> without a preset).")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Actor engine: keep a checkpoint in "
            + "--out/checkpoint (each completed trial, and each server's round state every N rounds); the same "
            + "command run again resumes from it instead of starting over.")
    Integer checkpointEvery;

    @Option(names = "--fresh", description = "Discard an existing checkpoint and start over.")
    boolean fresh;

    @Override
    public Integer call() throws IOException {
        final CommandLine cmd = spec.commandLine();
        final java.io.PrintWriter console = cmd.getOut();
        final ExperimentOptions.Resolved resolved = options.resolve(cmd);
        SimulationEngine engine = engineOptions.engine(cmd);
        final Path dir = out != null ? out : defaultOutput(resolved.preset());
        final String problemWithDir = ResultFiles.checkWritable(dir);
        if (problemWithDir != null) {
            throw ExperimentOptions.usage(cmd, "--out " + dir + ": " + problemWithDir);
        }

        final Experiment experiment = resolved.experiment();
        final String title = resolved.preset() != null ? resolved.preset().id() : "fedlink simulate";
        console.printf("%s: %d series x %d trials x %d rounds, K = %d, L = %d, engine %s%n", title,
                experiment.series().size(), experiment.trials(), experiment.rounds(), experiment.clients(),
                experiment.dimension(), engine);
        console.flush();

        if (checkpointEvery != null && !(engine instanceof io.fedlink.actors.ActorEngine)) {
            throw ExperimentOptions.usage(cmd, "--checkpoint-every needs --engine actors");
        }
        // The fingerprint names the mode too: free-running trials must never mix with lockstep ones.
        final io.fedlink.actors.ExperimentCheckpoint checkpoint = Checkpoints.open(cmd, console, checkpointEvery,
                fresh, dir, "fedlink simulate " + resolved.reproducingArguments() + " " + engineOptions.arguments(engine),
                experiment);
        if (checkpoint != null) {
            engine = ((io.fedlink.actors.ActorEngine) engine).checkpointing(checkpoint);
        }
        final FederatedProblem problem = experiment.generateProblem();
        final List<SeriesResult> results;
        final long totalTrials = (long) experiment.series().size() * experiment.trials();
        if (quiet) {
            results = engine.run(experiment, problem, io.fedlink.core.engine.ProgressListener.NONE);
        } else {
            try (ConsoleProgress progress = new ConsoleProgress(title, totalTrials)) {
                results = engine.run(experiment, problem, progress);
            }
        }

        writeOutputs(console, dir, title, typedCommand(cmd),
                "fedlink simulate " + resolved.reproducingArguments() + " " + engineOptions.arguments(engine),
                engine.toString(), results, engine instanceof io.fedlink.actors.ActorEngine actors
                        && actors.mode() instanceof io.fedlink.actors.FederationMode.FreeRunning);
        return 0;
    }

    /** Writes the experiment's files and prints the summary: shared with the cluster's server node. */
    static void writeOutputs(java.io.PrintWriter console, Path dir, String title, String typed, String reproducing,
                             String engine, List<SeriesResult> results, boolean againstTime) throws IOException {
        ResultFiles.writeCurves(dir, results);
        ResultFiles.writeSummary(dir, results);
        ResultFiles.writeCommand(dir, typed, reproducing, engine);
        NmsePlot.write(dir.resolve(ResultFiles.PLOT), title, results);
        if (againstTime) {
            ResultFiles.writeTimedCurves(dir, results);
            NmsePlot.writeAgainstTime(dir.resolve(ResultFiles.TIME_PLOT), title + " (free-running)", results);
        }
        console.println();
        SummaryTable.print(console, results);
        console.println();
        console.println("wrote " + dir.resolve(ResultFiles.CURVES) + ", " + ResultFiles.SUMMARY + ", "
                + ResultFiles.PLOT + ", " + ResultFiles.COMMAND);
        console.flush();
    }

    static Path defaultOutput(Preset preset) {
        final String name = preset != null ? preset.id()
                : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of("results", name);
    }

    /** The command as typed, with arguments quoted where a shell would need it. */
    static String typedCommand(CommandLine cmd) {
        final StringBuilder b = new StringBuilder("fedlink");
        for (String arg : cmd.getParseResult().originalArgs()) {
            b.append(' ').append(arg.matches("[A-Za-z0-9_./:=,+@%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
