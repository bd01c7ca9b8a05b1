package io.fedlink.core.engine;

import io.fedlink.core.data.FederatedProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The sequential reference engine: runs the trials of each series exactly by the rules of SPEC
 * section 4, with no actors. It is the oracle the actor runtime is checked against bit for bit, and
 * the speed baseline. Trials run in blocks ({@link BlockFederation}): a block's trials advance round by
 * round together, so that each client multiplies its P_k with all the trials' vectors that polled it at
 * once; blocks run in parallel across cores (by default one block per thread). The curves are then
 * averaged in trial order, so the result depends neither on the parallelism nor on the block size.
 *
 * <p>One trial alone, without blocks, is {@link ReferenceFederation}.
 */
public final class ReferenceEngine implements SimulationEngine {

    private final int parallelism;
    private final int blockSize;

    /** An engine running up to {@code parallelism} blocks at once, each of the default size. */
    public ReferenceEngine(int parallelism) {
        this(parallelism, 0);
    }

    /**
     * @param parallelism blocks run at once (threads)
     * @param blockSize   trials per block; 0 for the default: the trials shared evenly among the threads,
     *                    fewer if memory is short ({@link #blockSize(Experiment)})
     */
    public ReferenceEngine(int parallelism, int blockSize) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException("block size must be at least 1 (or 0 for the default), got " + blockSize);
        }
        this.parallelism = parallelism;
        this.blockSize = blockSize;
    }

    /** An engine using every available core. */
    public static ReferenceEngine usingAllCores() {
        return new ReferenceEngine(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Trials per block for an experiment: as given, else ceil(M / threads), so that every thread has one
     * block, lowered so that the blocks alive at once hold at most a quarter of the heap.
     */
    public int blockSize(Experiment experiment) {
        if (blockSize > 0) {
            return Math.min(blockSize, experiment.trials());
        }
        final int even = (experiment.trials() + parallelism - 1) / parallelism;
        return Math.max(1, Math.min(even, affordableBlock(experiment, parallelism)));
    }

    /** The largest block of which {@code atOnce} fit in a quarter of the heap (at least 1). */
    static int affordableBlock(Experiment experiment, int atOnce) {
        // Per trial and client: the state of a rule (a few vectors of up to 2L), its two links and streams.
        final long perTrial = (long) experiment.clients() * (6L * 2 * experiment.dimension() * Double.BYTES + 200);
        final long affordable = Runtime.getRuntime().maxMemory() / 4 / Math.max(1, perTrial * atOnce);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, affordable));
    }

    @Override
    public String id() {
        return "reference";
    }

    @Override
    public String toString() {
        return "reference (" + parallelism + " threads" + (blockSize > 0 ? ", blocks of " + blockSize : "") + ")";
    }

    @Override
    public List<SeriesResult> run(Experiment experiment, FederatedProblem problem, ProgressListener listener) {
        final ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
            final Thread thread = new Thread(runnable, "fedlink-reference");
            thread.setDaemon(true);
            return thread;
        });
        try {
            final List<SeriesResult> results = new ArrayList<>();
            for (SeriesSpec series : experiment.series()) {
                results.add(runSeries(experiment, problem, series, pool, listener));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private SeriesResult runSeries(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                                   ExecutorService pool, ProgressListener listener) {
        listener.seriesStarted(series);
        final long start = System.nanoTime();
        final int size = blockSize(experiment);
        final List<Future<TrialCurve[]>> futures = new ArrayList<>();
        for (int first = 0; first < experiment.trials(); first += size) {
            final int[] trials = java.util.stream.IntStream.range(first, Math.min(first + size, experiment.trials()))
                    .toArray();
            futures.add(pool.submit(() -> {
                final TrialCurve[] curves = runBlock(experiment, problem, series, trials);
                for (int t : trials) {
                    listener.trialCompleted(series, t);
                }
                return curves;
            }));
        }
        final TrialCurves curves = new TrialCurves(experiment.trials(), experiment.rounds());
        long updates = 0;
        long lostUplinks = 0;
        long lostDownlinks = 0;
        int t = 0;
        for (Future<TrialCurve[]> future : futures) {
            for (TrialCurve curve : await(future)) {
                curves.record(t++, curve.nmse());
                updates += curve.clientUpdates();
                lostUplinks += curve.lostUplinks();
                lostDownlinks += curve.lostDownlinks();
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final SeriesResult result = new SeriesResult(series, curves, updates, seconds, null, 0)
                .withLosses(lostUplinks, lostDownlinks);
        listener.seriesCompleted(result);
        return result;
    }

    /** Runs the trials of one block of a series together, exactly by the rules; their curves by slot. */
    public static TrialCurve[] runBlock(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                                        int[] trials) {
        final BlockFederation block = new BlockFederation(experiment, problem, series, trials);
        final double[][] nmse = new double[trials.length][experiment.rounds()];
        for (int n = 0; n < experiment.rounds(); n++) {
            block.runRound();
            for (int s = 0; s < trials.length; s++) {
                nmse[s][n] = block.nmse(s);
            }
        }
        final TrialCurve[] curves = new TrialCurve[trials.length];
        for (int s = 0; s < trials.length; s++) {
            curves[s] = new TrialCurve(nmse[s], block.clientUpdates(s), block.lostUplinks(s), block.lostDownlinks(s));
        }
        return curves;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a trial", e);
        } catch (ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("a trial failed", cause);
        }
    }

    /** Runs trial {@code trial} of one series, sequentially, exactly by the rules. */
    public static TrialCurve runTrial(Experiment experiment, FederatedProblem problem, SeriesSpec series, int trial) {
        final ReferenceFederation federation = new ReferenceFederation(experiment, problem, series, trial);
        final double[] nmse = new double[experiment.rounds()];
        for (int n = 0; n < nmse.length; n++) {
            federation.runRound();
            nmse[n] = federation.nmse();
        }
        return new TrialCurve(nmse, federation.clientUpdates(), federation.lostUplinks(), federation.lostDownlinks());
    }
}
