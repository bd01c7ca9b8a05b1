package io.fedlink.cli;

import io.fedlink.actors.ActorEngine;
import io.fedlink.actors.FederationMode;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fedlink scale}: the largest federation one JVM holds. For each K, one trial of
 * `rerce-continual` (every client works every round) with every client an actor, measured twice: a
 * timed run (time per round), then a run sampled for live heap (a forced GC every 100 ms, or after as long
 * as the last one's pause if that is longer; the peak live heap above the baseline, per client).
 */
@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measures time per round and heap per client of federations with clients as actors.",
            "One trial of rerce-continual at each --clients value. Appends to --out/scale.csv.",
            "s per round is the whole run over T; then the rounds alone (from the start-up round's close to the "
                    + "last round's) per round, and the rest of the run in seconds (spawning and registering the "
                    + "clients, the start-up round, the last catch-up and reports).",
            "A million clients needs a larger heap than the default: FEDLINK_JAVA_OPTS=-Xmx16g ./fedlink scale"
        })
final class ScaleCommand implements Callable<Integer> {

    static final String CSV = "scale.csv";
    /** The heap sampler's shortest wait between forced collections. */
    private static final long SAMPLE_MILLIS = 100;
    static final String CSV_HEADER = "clients,dim,rounds,selected,generation_seconds,run_seconds,seconds_per_round,"
            + "problem_bytes_per_client,federation_bytes_per_client,max_heap_bytes,seconds_per_round_alone,"
            + "setup_seconds";

    @Spec
    CommandSpec spec;

    @Option(names = "--clients", split = ",", paramLabel = "K", defaultValue = "10000,100000,1000000",
            description = "Federation sizes, comma separated (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--dim", paramLabel = "L", defaultValue = "16", description = "Model dimension (default: ${DEFAULT-VALUE}).")
    int dimension;

    @Option(names = "--rounds", paramLabel = "T", defaultValue = "20", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--selected", paramLabel = "C", defaultValue = "100",
            description = "Clients polled per round (default: ${DEFAULT-VALUE}).")
    int selected;

    @Option(names = "--samples", paramLabel = "MIN-MAX", defaultValue = "5-12",
            description = "Per-client sample range (default: ${DEFAULT-VALUE}, underdetermined at L = 16 like the paper's runs).")
    String samples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Root seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for scale.csv (default: results/scale).")
    Path out = Path.of("results", "scale");

    @Override
    public Integer call() throws IOException {
        final CommandLine cmd = spec.commandLine();
        final PrintWriter console = cmd.getOut();
        if (!(ExperimentOptions.parseSamples(cmd, samples, sizes.get(0), "--clients")
                instanceof SampleCounts.UniformRange range)) {
            throw ExperimentOptions.usage(cmd, "--samples " + samples + ": expected MIN-MAX");
        }
        final int min = range.min();
        final int max = range.max();
        if (dimension < 2 || rounds < 1) {
            throw ExperimentOptions.usage(cmd, "--dim must be at least 2 and --rounds at least 1");
        }
        for (int k : sizes) {
            if (k < 1 || selected > k || selected < 1) {
                throw ExperimentOptions.usage(cmd, "--clients " + k + " with --selected " + selected
                        + ": C must lie in 1..K");
            }
        }
        final String problemWithDir = ResultFiles.checkWritable(out);
        if (problemWithDir != null) {
            throw ExperimentOptions.usage(cmd, "--out " + out + ": " + problemWithDir);
        }
        final Path csv = out.resolve(CSV);
        if (Files.exists(csv) && !Files.isRegularFile(csv)) {
            throw ExperimentOptions.usage(cmd, "--out " + out + ": its " + CSV + " is not a file");
        }
        final String header;
        try {
            header = Files.isRegularFile(csv) && Files.size(csv) > 0 ? firstLine(csv) : CSV_HEADER;
        } catch (IOException e) {
            throw ExperimentOptions.usage(cmd, "--out " + out + ": its " + CSV + " cannot be read as a UTF-8 table ("
                    + e.getMessage() + "); give another --out, or move the file");
        }
        if (!CSV_HEADER.equals(header)) {
            // Rows of today's columns under another header would make the table unreadable.
            throw ExperimentOptions.usage(cmd, "--out " + out + ": its " + CSV + " has other columns (" + header
                    + "), perhaps an older fedlink's; expected " + CSV_HEADER
                    + ". Give another --out, or move the file");
        }
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        console.printf(Locale.ROOT, "max heap %.1f GiB, %d cores; L = %d, %d rounds, C = %d, rerce-continual, lockstep%n",
                Runtime.getRuntime().maxMemory() / (double) (1L << 30), Runtime.getRuntime().availableProcessors(),
                dimension, rounds, selected);
        console.printf(Locale.ROOT, "%10s  %12s  %12s  %14s  %18s  %18s  %14s  %10s%n", "clients", "generate s",
                "run s", "s per round", "problem B/client", "actors B/client", "rounds alone", "set-up s");
        console.flush();
        for (int k : sizes) {
            final Experiment experiment = new Experiment(k, dimension, 1.0, SampleCounts.uniform(min, max), rounds, 1,
                    seed, SchedulingPolicy.UNIFORM,
                    List.of(new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, selected, 6.25e-4, 6.25e-4)));
            final long baseline = liveHeap(memory);
            final long start = System.nanoTime();
            final FederatedProblem problem;
            try {
                problem = experiment.generateProblem();
            } catch (OutOfMemoryError e) {
                console.printf("%10d  out of memory generating the data: raise the heap (FEDLINK_JAVA_OPTS=-Xmx16g)%n", k);
                console.flush();
                return 1;
            }
            final double generation = (System.nanoTime() - start) / 1e9;
            final long withProblem = liveHeap(memory);
            final ActorEngine engine = new ActorEngine(1, new FederationMode.Lockstep(), Duration.ofMinutes(10));

            // The series' own clock: from spawning the K client actors to the last round delivered
            // (the ActorSystem's start and stop are not the federation's work).
            final List<SeriesResult> timed = engine.run(experiment, problem, ProgressListener.NONE);
            final double runSeconds = timed.get(0).seconds();
            // The rounds alone: from the start-up round's close to the last round's close (the monitor's
            // clock); the rest of the run is set-up: spawning and registering the clients, the start-up
            // round, and the last catch-up and reports (the run's clock stops there, before the actors do).
            final double roundsSeconds = timed.get(0).roundSeconds()[rounds - 1];
            final double setupSeconds = Math.max(0, runSeconds - roundsSeconds);

            final AtomicBoolean running = new AtomicBoolean(true);
            final AtomicLong peak = new AtomicLong();
            final Thread sampler = new Thread(() -> {
                while (running.get()) {
                    final long collecting = System.nanoTime();
                    peak.accumulateAndGet(liveHeap(memory), Math::max);
                    // A forced full collection stops every actor; at a million clients one takes seconds.
                    // Waiting at least as long as the last one took keeps them to half of the run, and
                    // still samples the federation's growth every few seconds.
                    final long pauseMillis = (System.nanoTime() - collecting) / 1_000_000;
                    try {
                        Thread.sleep(Math.max(SAMPLE_MILLIS, pauseMillis));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fedlink-heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            engine.run(experiment, problem, ProgressListener.NONE);
            running.set(false);
            sampler.interrupt();
            final double problemPerClient = (withProblem - baseline) / (double) k;
            final double federationPerClient = Math.max(0, peak.get() - withProblem) / (double) k;
            console.printf(Locale.ROOT, "%10d  %12.2f  %12.2f  %14.4f  %18.0f  %18.0f  %14.4f  %10.2f   "
                    + "(NMSE after round %d: %.2f dB)%n", k, generation, runSeconds, runSeconds / rounds,
                    problemPerClient, federationPerClient, roundsSeconds / rounds, setupSeconds, rounds,
                    timed.get(0).nmseDb()[rounds - 1]);
            console.flush();
            if (!Files.exists(csv) || Files.size(csv) == 0) {
                Files.writeString(csv, CSV_HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(csv, String.format(Locale.ROOT, "%d,%d,%d,%d,%.3f,%.3f,%.5f,%.0f,%.0f,%d,%.5f,%.3f%n", k,
                    dimension, rounds, selected, generation, runSeconds, runSeconds / rounds, problemPerClient,
                    federationPerClient, Runtime.getRuntime().maxMemory(), roundsSeconds / rounds, setupSeconds),
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        return 0;
    }

    private static String firstLine(Path file) throws IOException {
        try (java.io.BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            final String line = reader.readLine();
            return line == null ? "" : line;
        }
    }

    /** Heap in use right after a full collection: the live set. */
    private static long liveHeap(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
