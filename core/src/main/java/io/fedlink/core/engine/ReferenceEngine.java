package io.fedlink.core.engine;

import io.fedlink.core.data.FederatedProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The sequential reference engine: runs one trial of one series exactly by the rules of SPEC
 * section 4, with no actors. It is the oracle the actor runtime is checked against bit for bit, and
 * the speed baseline. Trials are independent and run in parallel across cores; the curves are then
 * averaged in trial order, so the result does not depend on the parallelism.
 *
 * <p>The rules of one trial live in {@link ReferenceFederation}.
 */
public final class ReferenceEngine implements SimulationEngine {

    private final int parallelism;

    /** An engine running up to {@code parallelism} trials at once. */
    public ReferenceEngine(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
    }

    /** An engine using every available core. */
    public static ReferenceEngine usingAllCores() {
        return new ReferenceEngine(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String id() {
        return "reference";
    }

    @Override
    public String toString() {
        return "reference (" + parallelism + " threads)";
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

    private static SeriesResult runSeries(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                                          ExecutorService pool, ProgressListener listener) {
        listener.seriesStarted(series);
        final long start = System.nanoTime();
        final List<Future<TrialCurve>> futures = new ArrayList<>();
        for (int trial = 0; trial < experiment.trials(); trial++) {
            final int t = trial;
            futures.add(pool.submit(() -> {
                final TrialCurve curve = runTrial(experiment, problem, series, t);
                listener.trialCompleted(series, t);
                return curve;
            }));
        }
        final TrialCurves curves = new TrialCurves(experiment.trials(), experiment.rounds());
        long updates = 0;
        long lostUplinks = 0;
        long lostDownlinks = 0;
        for (int t = 0; t < futures.size(); t++) {
            final TrialCurve curve = await(futures.get(t));
            curves.record(t, curve.nmse());
            updates += curve.clientUpdates();
            lostUplinks += curve.lostUplinks();
            lostDownlinks += curve.lostDownlinks();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final SeriesResult result = new SeriesResult(series, curves, updates, seconds, null, 0)
                .withLosses(lostUplinks, lostDownlinks);
        listener.seriesCompleted(result);
        return result;
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
