package io.fedlink.cli;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SimulationEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/**
 * {@code fedlink benchmark}: times an experiment end to end (data generation included, JIT warm-up
 * included, as a user meets it) and reports client updates per second. A client update is one local
 * step of one client in one round of one trial.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Times an experiment end to end and reports client updates per second.",
            "Default: paper-fig4. --compare times the reference and the actor engine in the same run.",
            "Appends one line per run to --out/benchmark.csv and prints the report."
        })
final class BenchmarkCommand implements Callable<Integer> {

    static final String CSV = "benchmark.csv";
    static final String CSV_HEADER = "experiment,engine,threads,clients,dim,series,trials,rounds,client_updates,"
            + "generation_seconds,run_seconds,total_seconds,updates_per_second";

    @Spec
    CommandSpec spec;

    @Mixin
    ExperimentOptions.Simulation options;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for benchmark.csv (default: results/benchmark).")
    Path out = Path.of("results", "benchmark");

    @Option(names = "--compare", description = "Time the reference engine and the actor engine (in the chosen "
            + "--mode) on the same problem in the same run, and report the ratio of their times.")
    boolean compare;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "With --compare or --dashboard-tap, runs of each side, alternating which goes first "
                    + "(default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--dashboard-tap", description = "Time the actor engine with and without a dashboard watching "
            + "(its round observer and progress feed; the dashboard serving on a free loopback port, started "
            + "first) on the same problem in the same run, and report the ratio of the medians.")
    boolean dashboardTap;

    @Override
    public Integer call() throws IOException {
        final CommandLine cmd = spec.commandLine();
        final java.io.PrintWriter console = cmd.getOut();
        final ExperimentOptions.Resolved resolved = options.resolve(cmd);
        final SimulationEngine engine = engineOptions.engine(cmd);
        if (repeat < 1) {
            throw ExperimentOptions.usage(cmd, "--repeat " + repeat + ": at least 1 run is needed");
        }
        final String problemWithDir = ResultFiles.checkWritable(out);
        if (problemWithDir != null) {
            throw ExperimentOptions.usage(cmd, "--out " + out + ": " + problemWithDir);
        }
        final Experiment experiment = resolved.experiment();
        final String name = resolved.preset() != null ? resolved.preset().id() : "custom";
        console.printf(Locale.ROOT, "%s: %d series x %d trials x %d rounds, K = %d, L = %d, %d cores%n", name,
                experiment.series().size(), experiment.trials(), experiment.rounds(), experiment.clients(),
                experiment.dimension(), Runtime.getRuntime().availableProcessors());
        console.flush();

        final long start = System.nanoTime();
        final FederatedProblem problem = experiment.generateProblem();
        final double generation = (System.nanoTime() - start) / 1e9;
        console.printf(Locale.ROOT, "data generation: %.2f s%n", generation);

        if (dashboardTap) {
            return compareDashboard(console, name, experiment, problem, generation, engine, cmd);
        }
        if (!compare) {
            final Timing timing = time(engine, experiment, problem, generation);
            SummaryTable.print(console, timing.results());
            console.printf(Locale.ROOT, "%nclient updates: %d; data generation %.2f s, trials %.2f s, total %.2f s%n",
                    timing.updates(), generation, timing.seconds(), timing.totalSeconds());
            console.printf(Locale.ROOT, "end to end: %s client updates per second%n", timing.endToEndRate());
            record(name, engine, engine.toString(), experiment, timing);
            console.flush();
            return 0;
        }

        final SimulationEngine reference = new io.fedlink.core.engine.ReferenceEngine(
                engineOptions.threads != null ? engineOptions.threads : Runtime.getRuntime().availableProcessors());
        final SimulationEngine actors = engine instanceof io.fedlink.actors.ActorEngine ? engine
                : new io.fedlink.actors.ActorEngine(io.fedlink.actors.ActorEngine.defaultConcurrency(
                        engineOptions.federationMode(cmd)), engineOptions.federationMode(cmd),
                        EngineOptions.ROUND_TIMEOUT);
        double referenceSeconds = 0;
        double actorSeconds = 0;
        long updates = 0;
        for (int r = 0; r < repeat; r++) {
            final SimulationEngine first = r % 2 == 0 ? reference : actors;
            final SimulationEngine second = r % 2 == 0 ? actors : reference;
            for (SimulationEngine e : List.of(first, second)) {
                final Timing timing = time(e, experiment, problem, generation);
                console.printf(Locale.ROOT, "run %d, %-22s %8.2f s  %12s client updates per second end to end "
                        + "(%s in the trials alone)%n", r + 1, e + ":", timing.seconds(), timing.endToEndRate(),
                        timing.trialsRate());
                console.flush();
                record(name, e, e.toString(), experiment, timing);
                if (e == reference) {
                    referenceSeconds += timing.seconds();
                    updates = timing.updates();
                } else {
                    actorSeconds += timing.seconds();
                }
            }
        }
        // The same computation as each run's line, over the runs together.
        final Timing referenceMean = new Timing(List.of(), generation, referenceSeconds / repeat, updates);
        final Timing actorMean = new Timing(List.of(), generation, actorSeconds / repeat, updates);
        console.printf(Locale.ROOT, "%nreference engine: %.2f s per run, %s client updates per second end to end "
                + "(%s in the trials alone)%n", referenceMean.seconds(), referenceMean.endToEndRate(),
                referenceMean.trialsRate());
        console.printf(Locale.ROOT, "%s: %.2f s per run, %s client updates per second end to end (%s in the trials "
                + "alone)%n", actors, actorMean.seconds(), actorMean.endToEndRate(), actorMean.trialsRate());
        console.printf(Locale.ROOT, "actor engine time / reference engine time: %.3f%n", actorSeconds / referenceSeconds);
        console.flush();
        return 0;
    }

    /**
     * The actor engine with and without the dashboard's tap, alternately, on one problem in one JVM:
     * what watching costs the run itself, apart from the dashboard's one-off start-up.
     */
    private int compareDashboard(java.io.PrintWriter console, String name, Experiment experiment,
                                 FederatedProblem problem, double generation, SimulationEngine engine, CommandLine cmd)
            throws IOException {
        if (!(engine instanceof io.fedlink.actors.ActorEngine actors)) {
            throw ExperimentOptions.usage(cmd, "--dashboard-tap needs --engine actors");
        }
        final io.fedlink.cli.dashboard.Dashboard dashboard;
        try {
            dashboard = io.fedlink.cli.dashboard.Dashboard.start(
                    new io.fedlink.cli.dashboard.DashboardAddress("127.0.0.1", 0));
        } catch (io.fedlink.cli.dashboard.Dashboard.Unavailable e) {
            throw new IllegalStateException("the dashboard did not start: " + e.getMessage(), e);
        }
        final ResultFiles.Run run = new ResultFiles.Run(experiment, "actors", EngineOptions.modeOf(actors),
                actors.toString());
        final List<Double> plain = new java.util.ArrayList<>();
        final List<Double> watched = new java.util.ArrayList<>();
        final java.util.concurrent.atomic.LongAdder observerNanos = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder observerCalls = new java.util.concurrent.atomic.LongAdder();
        try (dashboard) {
            for (int r = 0; r < repeat; r++) {
                for (boolean tapped : r % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
                    ProgressListener listener = ProgressListener.NONE;
                    SimulationEngine e = actors;
                    if (tapped) {
                        DashboardFeed.announce(dashboard.board(), name + " " + (r + 1), name, run, false);
                        listener = DashboardFeed.feeding(dashboard.board(), listener, run);
                        final io.fedlink.cli.dashboard.RunBoard board = dashboard.board();
                        e = actors.observing((series, m) -> {          // the tap, timed from inside
                            final long t0 = System.nanoTime();
                            board.roundClosed(series, m);
                            observerNanos.add(System.nanoTime() - t0);
                            observerCalls.increment();
                        });
                    }
                    final long start = System.nanoTime();
                    final List<SeriesResult> results = e.run(experiment, problem, listener);
                    final Timing timing = new Timing(results, generation, (System.nanoTime() - start) / 1e9,
                            results.stream().mapToLong(SeriesResult::clientUpdates).sum());
                    console.printf(Locale.ROOT, "run %d, %-18s %8.2f s%n", r + 1, tapped ? "with the dashboard:"
                            : "without:", timing.seconds());
                    console.flush();
                    record(name, actors, actors + (tapped ? " watched" : ""), experiment, timing);
                    (tapped ? watched : plain).add(timing.seconds());
                }
            }
        }
        final double without = median(plain);
        final double with = median(watched);
        console.printf(Locale.ROOT, "%nmedian without %.2f s, with the dashboard %.2f s: with / without %.3f%n",
                without, with, with / without);
        // Wall time on a shared machine scatters by more than the few percent in question; the time the
        // stream spends inside the dashboard's observer is the tap's own cost, measured directly.
        final double inside = observerNanos.sum() / 1e9;
        final double watchedTotal = watched.stream().mapToDouble(Double::doubleValue).sum();
        console.printf(Locale.ROOT, "inside the dashboard's round observer: %.3f s in %d calls (%.0f ns each), "
                        + "%.2f%% of the watched runs' %.2f s%n", inside, observerCalls.sum(),
                observerNanos.sum() / (double) Math.max(1, observerCalls.sum()), 100 * inside / watchedTotal, watchedTotal);
        console.flush();
        return 0;
    }

    private static double median(List<Double> values) {
        final List<Double> sorted = values.stream().sorted().toList();
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * One timed run and the one computation of its rates: benchmark.csv's updates_per_second is
     * {@link #endToEndRate()}, and the console prints that same string.
     *
     * @param generation seconds of data generation (shared by the runs of one command)
     * @param seconds    seconds of the trials
     */
    record Timing(List<SeriesResult> results, double generation, double seconds, long updates) {

        double totalSeconds() {
            return generation + seconds;
        }

        /** Client updates per second of data generation and trials together, as benchmark.csv records it. */
        String endToEndRate() {
            return String.format(Locale.ROOT, "%.0f", updates / totalSeconds());
        }

        /** Client updates per second of the trials alone (what compares engines on the same problem). */
        String trialsRate() {
            return String.format(Locale.ROOT, "%.0f", updates / seconds);
        }
    }

    private static Timing time(SimulationEngine engine, Experiment experiment, FederatedProblem problem,
                               double generation) {
        final long start = System.nanoTime();
        final List<SeriesResult> results = engine.run(experiment, problem, ProgressListener.NONE);
        final double seconds = (System.nanoTime() - start) / 1e9;
        long updates = 0;
        for (SeriesResult r : results) {
            updates += r.clientUpdates();
        }
        return new Timing(results, generation, seconds, updates);
    }

    private void record(String name, SimulationEngine engine, String engineName, Experiment experiment, Timing timing)
            throws IOException {
        final Path csv = out.resolve(CSV);
        if (!Files.exists(csv)) {
            Files.writeString(csv, CSV_HEADER + "\n", StandardCharsets.UTF_8);
        }
        // What ran at once: the reference engine's threads, the actor engine's federations.
        final int threads = engineOptions.threads != null ? engineOptions.threads
                : engine instanceof io.fedlink.actors.ActorEngine actorEngine
                        ? io.fedlink.actors.ActorEngine.defaultConcurrency(actorEngine.mode())
                        : Runtime.getRuntime().availableProcessors();
        Files.writeString(csv, String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%.3f,%.3f,%.3f,%s%n",
                name, engineName.replace(',', ';'), threads, experiment.clients(), experiment.dimension(),
                experiment.series().size(), experiment.trials(), experiment.rounds(), timing.updates(),
                timing.generation(), timing.seconds(), timing.totalSeconds(), timing.endToEndRate()),
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }
}
