package io.fedlink.cli;

import io.fedlink.actors.ActorEngine;
import io.fedlink.actors.ExperimentCheckpoint;
import io.fedlink.cli.dashboard.Dashboard;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SimulationEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
            "Writes curves.csv, summary.csv, nmse.png/.svg/.pdf and command.txt to --out, and prints the summary.",
            "With no arguments it runs the paper's Figure 4 (paper-fig4)."
        })
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ExperimentOptions.Simulation options;

    @Mixin
    EngineOptions engineOptions;

    @Mixin
    DashboardOptions dashboardOptions;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: results/<preset> when the preset's settings are unchanged, else "
                    + "results/<preset or custom>_<each changed setting>).")
    Path out;

    @Option(names = "--force", description = "Replace the results in an output folder that already holds some.")
    boolean force;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--per-trial", description = "Also write trials.csv: every trial's curve (series, trial, round, "
            + "nmse_db).")
    boolean perTrial;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Actor engine: keep a checkpoint in "
            + "--out/checkpoint (each completed trial, and each server's round state every N rounds); the same "
            + "command run again resumes from it instead of starting over.")
    Integer checkpointEvery;

    @Option(names = "--fresh", description = "Discard an existing checkpoint and start over.")
    boolean fresh;

    @Option(names = "--sweep", paramLabel = "NAME=V1,V2,...",
            description = "Run the experiment once per value of a scalar flag (rho, clients, dim, samples, rounds, "
                    + "trials, seed, ...), each in its own sub-folder NAME=V, and write sweep.csv and sweep.png. "
                    + "Repeat it for a grid.")
    List<String> sweep;

    @Override
    public Integer call() throws IOException {
        final CommandLine cmd = spec.commandLine();
        if (options.preset != null && options.preset.trim().equalsIgnoreCase(Sweep.PAPER_ALL)) {
            final Sweep figures = Sweep.paperAll(cmd, this);
            return withDashboard(cmd, dashboard -> figures.run(cmd.getOut(), cmd.getErr(), dashboard));
        }
        if (sweep != null) {
            final Sweep parsed = Sweep.parse(cmd, this);
            return withDashboard(cmd, dashboard -> parsed.run(cmd.getOut(), cmd.getErr(), dashboard));
        }
        final Prepared prepared = prepare(cmd, out);
        return withDashboard(cmd, dashboard -> prepared.execute(cmd.getOut(), cmd.getErr(), typedCommand(cmd),
                results -> { }, dashboard, prepared.title()));
    }

    /** Work that may show itself on a dashboard (null when none was asked for). */
    @FunctionalInterface
    interface Watched {
        int run(Dashboard dashboard) throws IOException;
    }

    /**
     * Runs {@code work} with the dashboard, if one was asked for, bound first: an address that cannot be
     * bound is refused before any work starts. Afterwards the page says how the run ended and stays up
     * for --dashboard-linger.
     */
    private int withDashboard(CommandLine cmd, Watched work) throws IOException {
        final Dashboard dashboard;
        try {
            dashboard = dashboardOptions.start(cmd, cmd.getOut());
        } catch (Dashboard.Unavailable e) {
            return DashboardOptions.refused(cmd, e);
        }
        try (dashboard) {
            final int status;
            try {
                status = work.run(dashboard);
            } catch (IOException | RuntimeException e) {
                DashboardOptions.failed(dashboard, e);
                throw e;
            }
            dashboardOptions.finish(dashboard, status, cmd.getOut());
            return status;
        }
    }

    /**
     * Everything a run needs, validated before any work starts: the experiment, the engine and the
     * output folder (not yet touched).
     */
    record Prepared(CommandLine cmd, SimulateCommand command, ExperimentOptions.Resolved resolved,
                    SimulationEngine engine, Path dir, boolean dirGiven, String title, String reproducing) {

        Experiment experiment() {
            return resolved.experiment();
        }

        ResultFiles.Run run() {
            return new ResultFiles.Run(experiment(), engine.id(), EngineOptions.modeOf(engine), engine.toString());
        }

        boolean resuming() {
            return command.checkpointEvery != null && !command.fresh
                    && Files.isDirectory(dir.resolve(Checkpoints.FOLDER));
        }

        /** Runs the experiment and writes its outputs; 0 when complete, 1 when the engine failed. */
        int execute(PrintWriter console, PrintWriter err, String typed) throws IOException {
            return execute(console, err, typed, results -> { }, null, title);
        }

        /**
         * The same, handing the complete results to {@code completed} (a sweep collects them), and showing
         * the run on {@code dashboard} (or null) under {@code runName}.
         */
        int execute(PrintWriter console, PrintWriter err, String typed,
                    java.util.function.Consumer<List<SeriesResult>> completed, Dashboard dashboard, String runName)
                throws IOException {
            final Experiment experiment = experiment();
            OutputFolder.claim(cmd, dir, dirGiven, command.force, resuming());
            RunLog.into(dir, resuming());
            console.printf("%s: %d series x %d trials x %d rounds, K = %d, L = %d, engine %s%n", title,
                    experiment.series().size(), experiment.trials(), experiment.rounds(), experiment.clients(),
                    experiment.dimension(), engine);
            console.flush();
            final ExperimentCheckpoint checkpoint = Checkpoints.open(cmd, console, command.checkpointEvery,
                    command.fresh, dir, reproducing, experiment);
            // An engine is immutable: the checkpointing one, and the one the dashboard watches, are new engines.
            SimulationEngine running = checkpoint != null ? ((ActorEngine) engine).checkpointing(checkpoint) : engine;
            if (dashboard != null) {
                running = ((ActorEngine) running).observing(dashboard.board());
                DashboardFeed.announce(dashboard.board(), runName, title, run(), false);   // before the data
            }
            final FederatedProblem problem;
            try (GenerationProgress generation = command.quiet ? null : new GenerationProgress(experiment.clients())) {
                problem = generation == null ? experiment.generateProblem() : experiment.generateProblem(generation);
            }
            final String trivial = TrivialProblem.warning(problem, experiment.rounds(), "--samples "
                    + experiment.samples().describe(), "--dim " + experiment.dimension(), "every algorithm, C and noise level");
            if (trivial != null) {
                err.println(cmd.getCommandSpec().qualifiedName() + ": warning: " + trivial);
                err.flush();
            }

            if (dashboard != null) {
                dashboard.awaitStarted();              // started beside the data generation, not the trials
            }
            final long totalTrials = (long) experiment.series().size() * experiment.trials();
            final ConsoleProgress progress = command.quiet ? null : new ConsoleProgress(title, totalTrials);
            final ProgressListener shown = progress != null ? progress : ProgressListener.NONE;
            final PartialResults partial = new PartialResults(
                    dashboard == null ? shown : DashboardFeed.feeding(dashboard.board(), shown, run()),
                    experiment.series().size(), totalTrials);
            final String name = cmd.getCommandSpec().qualifiedName();
            partial.armInterruptHook(new PartialResults.Target(dir, run(), command.perTrial, typed, reproducing,
                    checkpoint != null, name), err);
            final List<SeriesResult> results;
            try {
                results = running.run(experiment, problem, partial);
            } catch (RuntimeException e) {
                if (progress != null) {
                    progress.close();
                }
                // The whole chain, stack traces included, into fedlink.log from this thread: the actor
                // system's own report of the failure goes through its asynchronous logger, which a system
                // terminated at once may never write (the console filter keeps traces off the console).
                org.slf4j.LoggerFactory.getLogger(SimulateCommand.class).error("{} failed", title, e);
                final String kept = partial.failed(oneLine(e));
                if (dashboard != null) {
                    dashboard.board().ended("failed", oneLine(e));
                }
                err.println(name + ": " + oneLine(e));
                err.flush();
                if (kept != null) {
                    console.print(kept);
                    console.flush();
                }
                return 1;
            }
            if (progress != null) {
                progress.close();
            }
            if (!partial.finishing()) {
                return 130;                                   // interrupted: the hook wrote and reported
            }
            try {
                writeOutputs(console, dir, title, typed, reproducing, run(), results, command.perTrial);
            } finally {
                partial.finished();
            }
            completed.accept(results);
            return 0;
        }
    }

    /** Validates the flags and picks the output folder; throws a usage error naming the problem. */
    Prepared prepare(CommandLine cmd, Path outDir) {
        final ExperimentOptions.Resolved resolved = options.resolve(cmd);
        final SimulationEngine engine = engineOptions.engine(cmd);
        if (checkpointEvery != null && !(engine instanceof ActorEngine)) {
            throw ExperimentOptions.usage(cmd, "--checkpoint-every needs --engine actors");
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw ExperimentOptions.usage(cmd, "--checkpoint-every " + checkpointEvery + ": at least every 1 round");
        }
        if (dashboardOptions.address(cmd) != null && !(engine instanceof ActorEngine)) {
            throw ExperimentOptions.usage(cmd, "--dashboard needs --engine actors: it follows the actor engine's "
                    + "metrics stream round by round, which the reference engine does not have");
        }
        final String reproducing = "fedlink simulate " + resolved.reproducingArguments() + " "
                + engineOptions.arguments(engine);
        final Path dir = outDir != null ? outDir : defaultOutput(cmd, resolved, engine, "");
        final String title = resolved.preset() != null ? resolved.preset().id() : "fedlink simulate";
        final Prepared prepared = new Prepared(cmd, this, resolved, engine, dir, outDir != null, title, reproducing);
        OutputFolder.check(cmd, dir, outDir != null, force, prepared.resuming());
        return prepared;
    }

    /** The default folder for these settings (see {@link OutputFolder#defaultFor}). */
    Path defaultOutput(CommandLine cmd, ExperimentOptions.Resolved resolved, SimulationEngine engine, String suffix) {
        final String base = resolved.preset() != null ? resolved.preset().id() : "custom";
        final String modeArguments = EngineOptions.modeOf(engine).equals("lockstep") ? ""
                : " " + engineOptions.arguments(engine).replace("--engine actors ", "");
        // Timing flags name the folder only where they differ from free-running's defaults.
        return OutputFolder.defaultFor(base, resolved.reproducingArguments() + modeArguments,
                options.baselineArguments(cmd, resolved)
                        + " --mode lockstep " + EngineOptions.defaultTimingArguments(), suffix);
    }

    /** An exception's message on one line (the cause's when it has none). */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        final String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return message.replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Writes the experiment's files and prints the summary: shared with the cluster's server node. */
    static void writeOutputs(PrintWriter console, Path dir, String title, String typed, String reproducing,
                             ResultFiles.Run run, List<SeriesResult> results, boolean perTrial) throws IOException {
        ResultFiles.writeCurves(dir.resolve(ResultFiles.CURVES), results);
        ResultFiles.writeSummary(dir.resolve(ResultFiles.SUMMARY), run, results);
        if (perTrial) {
            ResultFiles.writeTrials(dir.resolve(ResultFiles.TRIALS), results);
        }
        ResultFiles.writeCommand(dir, typed, reproducing, run);
        if (run.experiment().table() != null) {
            ResultFiles.writePartition(dir.resolve(ResultFiles.PARTITION), run.experiment().table());
        }
        final String setting = NmsePlot.setting(title, run.experiment(), results);
        final List<NmsePlot.Curve> curves = NmsePlot.curves(results, false);
        NmsePlot.write(dir, "nmse", setting, "round", curves, false, NmsePlot.Format.ALL);
        final boolean againstTime = run.mode().equals("free-running");
        if (againstTime) {
            ResultFiles.writeTimedCurves(dir.resolve(ResultFiles.TIME_CURVES), results);
            NmsePlot.write(dir, "nmse-time", setting + " (free-running)", "seconds", NmsePlot.curves(results, true),
                    false, List.of(NmsePlot.Format.PNG));
        }
        OutputFolder.removeIncomplete(dir);
        console.println();
        SummaryTable.print(console, results);
        console.println();
        console.println("wrote " + dir.resolve(ResultFiles.CURVES) + ", " + ResultFiles.SUMMARY
                + (perTrial ? ", " + ResultFiles.TRIALS : "") + ", nmse.png/.svg/.pdf, " + ResultFiles.COMMAND
                + (run.experiment().table() != null ? ", " + ResultFiles.PARTITION : "")
                + (againstTime ? ", " + ResultFiles.TIME_CURVES + ", " + ResultFiles.TIME_PLOT : ""));
        console.flush();
    }

    /** The command as typed, with arguments quoted where a shell would need it. */
    static String typedCommand(CommandLine cmd) {
        final StringBuilder b = new StringBuilder("fedlink");
        for (String arg : cmd.getParseResult().originalArgs()) {
            b.append(' ').append(arg.matches("[A-Za-z0-9_./:=,+@%-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    /** For messages: a count and a noun. */
    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
