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
            "Times an experiment end to end (default: paper-fig4) and reports client updates per second.",
            "Appends one line per run to --out/benchmark.csv and prints the report."
        })
final class BenchmarkCommand implements Callable<Integer> {

    static final String CSV = "benchmark.csv";
    static final String CSV_HEADER = "experiment,engine,threads,clients,dim,series,trials,rounds,client_updates,"
            + "generation_seconds,run_seconds,total_seconds,updates_per_second";

    @Spec
    CommandSpec spec;

    @Mixin
    ExperimentOptions options;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for benchmark.csv (default: results/benchmark).")
    Path out = Path.of("results", "benchmark");

    @Override
    public Integer call() throws IOException {
        final CommandLine cmd = spec.commandLine();
        final java.io.PrintWriter console = cmd.getOut();
        final ExperimentOptions.Resolved resolved = options.resolve(cmd);
        final SimulationEngine engine = engineOptions.engine(cmd);
        final String problemWithDir = ResultFiles.checkWritable(out);
        if (problemWithDir != null) {
            throw ExperimentOptions.usage(cmd, "--out " + out + ": " + problemWithDir);
        }
        final Experiment experiment = resolved.experiment();
        final String name = resolved.preset() != null ? resolved.preset().id() : "custom";
        final int threads = engineOptions.threads != null ? engineOptions.threads
                : Runtime.getRuntime().availableProcessors();

        final long start = System.nanoTime();
        final FederatedProblem problem = experiment.generateProblem();
        final long generated = System.nanoTime();
        final List<SeriesResult> results = engine.run(experiment, problem, ProgressListener.NONE);
        final long finished = System.nanoTime();

        long updates = 0;
        for (SeriesResult r : results) {
            updates += r.clientUpdates();
        }
        final double generation = (generated - start) / 1e9;
        final double run = (finished - generated) / 1e9;
        final double total = (finished - start) / 1e9;
        final double rate = updates / total;

        console.printf(Locale.ROOT, "%s on the %s engine, %d threads: %d series x %d trials x %d rounds, K = %d, L = %d%n",
                name, engine.id(), threads, experiment.series().size(), experiment.trials(), experiment.rounds(),
                experiment.clients(), experiment.dimension());
        SummaryTable.print(console, results);
        console.printf(Locale.ROOT, "%nclient updates: %d; data generation %.2f s, trials %.2f s, total %.2f s%n",
                updates, generation, run, total);
        console.printf(Locale.ROOT, "end to end: %.0f client updates per second%n", rate);

        final Path csv = out.resolve(CSV);
        if (!Files.exists(csv)) {
            Files.writeString(csv, CSV_HEADER + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(csv, String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%.3f,%.3f,%.3f,%.0f%n",
                name, engine.id(), threads, experiment.clients(), experiment.dimension(), experiment.series().size(),
                experiment.trials(), experiment.rounds(), updates, generation, run, total, rate),
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        console.flush();
        return 0;
    }
}
