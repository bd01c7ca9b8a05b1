package io.fedlink.actors;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.engine.SimulationEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;

/**
 * The actor engine: runs an experiment as Pekko Typed federations in one ActorSystem, side by side under an
 * {@link ExperimentDriver}, and averages their curves through each series' {@link MetricsGraph}. In lockstep
 * mode a federation simulates a block of trials (each client actor holds its state in every trial of the
 * block, and one message carries the block's vectors), so that messages per round do not grow with the
 * trials and clients batch their products; in free-running mode, and on a cluster, a federation is one
 * trial. In lockstep mode its curves are bit-identical to the {@link io.fedlink.core.engine.ReferenceEngine}'s
 * for the same seed and settings, whatever the blocks.
 *
 * <p>A failure anywhere in a trial (an actor that throws, a metrics stream that closes) fails the run
 * at once with an exception naming the series, the trial, the actor and the cause. An engine is
 * immutable: {@link #checkpointing} returns a new one.
 */
public final class ActorEngine implements SimulationEngine {

    private static final AtomicInteger DRIVERS = new AtomicInteger();

    private final int maxConcurrentTrials;
    private final int blockSize;
    private final FederationMode mode;
    private final Duration roundTimeout;
    private final TrialLauncher launcher;               // null: one JVM, TrialActor
    private final ActorSystem<?> hostSystem;
    private final ExperimentCheckpoint checkpoint;
    private final RoundObserver observer;

    /**
     * @param maxConcurrentTrials federations (blocks of trials, or trials) that exist at once (bounds memory
     *                            and keeps the cores busy while one federation waits between rounds)
     * @param roundTimeout        how long a server waits for a silent client before dropping it
     */
    public ActorEngine(int maxConcurrentTrials, Duration roundTimeout) {
        this(maxConcurrentTrials, new FederationMode.Lockstep(), roundTimeout);
    }

    /**
     * @param maxConcurrentTrials trials whose federations exist at once
     * @param mode                lockstep (bit-identical to the reference engine) or free-running
     * @param roundTimeout        how long a lockstep server waits for a silent client, and how long a
     *                            trial waits for its clients to register
     */
    public ActorEngine(int maxConcurrentTrials, FederationMode mode, Duration roundTimeout) {
        this(maxConcurrentTrials, 0, mode, roundTimeout, null, null, null, null);
    }

    /**
     * An engine whose trials some other launcher builds (a cluster's), in a given ActorSystem.
     *
     * @param hostSystem the system to run in, left running afterwards; null for a fresh one per run
     */
    public ActorEngine(int maxConcurrentTrials, FederationMode mode, TrialLauncher launcher, ActorSystem<?> hostSystem) {
        this(maxConcurrentTrials, 0, mode, null, launcher, hostSystem, null, null);
    }

    private ActorEngine(int maxConcurrentTrials, int blockSize, FederationMode mode, Duration roundTimeout,
                        TrialLauncher launcher, ActorSystem<?> hostSystem, ExperimentCheckpoint checkpoint,
                        RoundObserver observer) {
        if (maxConcurrentTrials < 1) {
            throw new IllegalArgumentException("at least one trial must run at a time, got " + maxConcurrentTrials);
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException("block size must be at least 1 (or 0 for the default), got " + blockSize);
        }
        this.maxConcurrentTrials = maxConcurrentTrials;
        this.blockSize = blockSize;
        this.mode = mode;
        this.roundTimeout = roundTimeout;
        this.launcher = launcher;
        this.hostSystem = hostSystem;
        this.checkpoint = checkpoint;
        this.observer = observer;
    }

    /**
     * The same engine keeping a checkpoint: completed trials are recorded as they finish and skipped
     * when the same experiment runs again; servers write their round state every N rounds.
     */
    public ActorEngine checkpointing(ExperimentCheckpoint checkpoint) {
        return new ActorEngine(maxConcurrentTrials, blockSize, mode, roundTimeout, launcher, hostSystem, checkpoint,
                observer);
    }

    /**
     * The same engine telling {@code observer} of every round of every trial it runs (rounds restored
     * from a checkpoint are not run, and not told), from each series' metrics stream; null for none.
     * The observer sees what the monitors measured and changes nothing: the curves are the same.
     */
    public ActorEngine observing(RoundObserver observer) {
        return new ActorEngine(maxConcurrentTrials, blockSize, mode, roundTimeout, launcher, hostSystem, checkpoint,
                observer);
    }

    /**
     * The same engine simulating {@code blockSize} trials per federation in lockstep mode (0: the default,
     * the trials shared evenly among the federations that run at once). The curves do not depend on it.
     */
    public ActorEngine withBlockSize(int blockSize) {
        return new ActorEngine(maxConcurrentTrials, blockSize, mode, roundTimeout, launcher, hostSystem, checkpoint,
                observer);
    }

    /**
     * Trials per federation for an experiment: 1 in free-running mode; else as given, or the trials shared
     * evenly among the federations that run at once, fewer if memory is short ({@link EngineTuning}).
     */
    public int blockSize(Experiment experiment) {
        if (mode instanceof FederationMode.FreeRunning) {
            return 1;
        }
        final int concurrent = Math.min(maxConcurrentTrials, experiment.trials());
        final int size = blockSize > 0 ? Math.min(blockSize, experiment.trials())
                : (experiment.trials() + concurrent - 1) / concurrent;
        return Math.min(size, launcher != null ? launcher.maxBlockSize() : Integer.MAX_VALUE);
    }

    /**
     * The default federations at once, a lockstep engine's blocks of trials and a round timeout generous
     * enough for any local catch-up.
     */
    public static ActorEngine usingAllCores() {
        return new ActorEngine(defaultConcurrency(new FederationMode.Lockstep()), Duration.ofSeconds(60));
    }

    /**
     * Federations at once unless told otherwise. In lockstep mode one per core, each simulating a block of
     * the trials: a client polled in several trials of a round multiplies all of their vectors in one pass
     * over its P_k, so larger blocks make fewer passes over memory, and the clients of one federation
     * already keep every core busy (`paper-all` took 0.93 of the time it took with two federations per
     * core, docs/performance.md). In free-running mode, where a federation is one trial that spends much
     * of its time waiting on its clients' clocks, two per core.
     */
    public static int defaultConcurrency(FederationMode mode) {
        final int cores = Runtime.getRuntime().availableProcessors();
        return mode instanceof FederationMode.FreeRunning ? 2 * cores : cores;
    }

    @Override
    public String id() {
        return "actors";
    }

    @Override
    public String toString() {
        return "actors (" + mode.id() + (blockSize > 0 ? ", blocks of " + blockSize : "") + ")";
    }

    /** The mode the federations run in. */
    public FederationMode mode() {
        return mode;
    }

    /** The one-JVM launcher: every actor of a trial under a {@link TrialActor}. */
    private TrialLauncher localLauncher() {
        return (experiment, problem, series, trials, outlet, replyTo) -> TrialActor.create(new ServerSide.Setup(
                experiment, problem, series, trials, mode, roundTimeout, outlet,
                checkpoint == null ? null : checkpoint.roundStates(experiment.series().indexOf(series), trials)),
                replyTo);
    }

    @Override
    public List<SeriesResult> run(Experiment experiment, FederatedProblem problem, ProgressListener listener) {
        final ActorSystem<?> system = hostSystem != null ? hostSystem
                : ActorSystem.create(Behaviors.empty(), "fedlink", EngineTuning.config(mode));
        final int size = EngineTuning.blockSize(blockSize(experiment), maxConcurrentTrials, experiment);
        final ActorRef<ExperimentDriver.Command> driver = system.systemActorOf(
                ExperimentDriver.create(EngineTuning.concurrentTrials(maxConcurrentTrials, size, experiment),
                        launcher != null ? launcher : localLauncher()),
                "fedlink-driver-" + DRIVERS.incrementAndGet(), ExperimentDriver.CONTROL);
        try {
            final List<SeriesResult> results = new ArrayList<>();
            for (SeriesSpec series : experiment.series()) {
                results.add(runSeries(system, driver, experiment, problem, series, listener, size));
            }
            return results;
        } finally {
            if (hostSystem == null) {
                SystemTermination.terminate(system, "the run", false);   // bounded: see SystemTermination
            } else {
                driver.tell(ExperimentDriver.Stop.INSTANCE);
            }
        }
    }

    private SeriesResult runSeries(ActorSystem<?> system, ActorRef<ExperimentDriver.Command> driver,
                                   Experiment experiment, FederatedProblem problem, SeriesSpec series,
                                   ProgressListener listener, int size) {
        listener.seriesStarted(series);
        final long start = System.nanoTime();
        final int rounds = experiment.rounds();
        final int seriesIndex = experiment.series().indexOf(series);
        final CurveAccumulator accumulator = new CurveAccumulator(experiment.trials(), rounds);
        final Map<Integer, List<RoundMetrics>> completed = checkpoint == null ? Map.of()
                : checkpoint.completedTrials(seriesIndex, rounds);
        completed.forEach((trial, metrics) -> {
            metrics.forEach(accumulator::add);                   // from the checkpoint: not run again
            listener.trialCompleted(series, trial);
        });
        final Pair<BoundedSourceQueue<RoundMetrics>, CompletionStage<CurveAccumulator>> graph = MetricsGraph.run(
                system, series, seriesIndex, experiment.trials(), rounds, listener, accumulator, checkpoint, observer);
        final CompletableFuture<Void> failure = new CompletableFuture<>();
        driver.tell(new ExperimentDriver.RunSeries(experiment, problem, series, graph.first(),
                Set.copyOf(completed.keySet()), failure, size));
        final CurveAccumulator curves;
        try {
            // A hosting system may stop under us (a cluster node that was downed):
            // then the series cannot finish, and waiting on the stream alone could wait forever. A
            // trial's failure is heard from the driver directly.
            final CompletableFuture<CurveAccumulator> done = graph.second().toCompletableFuture();
            CompletableFuture.anyOf(done, failure, system.getWhenTerminated().toCompletableFuture()).get();
            if (!done.isDone() && !failure.isDone()) {
                throw new IllegalStateException("the actor system stopped before series " + series.label()
                        + " finished (was this node removed from the cluster?)");
            }
            curves = done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + series.label(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("series " + series.label() + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final SeriesResult result = new SeriesResult(series, curves.curves(), curves.clientUpdates(), seconds,
                curves.meanSeconds(), curves.droppedPolls()).withLosses(curves.lostUplinks(), curves.lostDownlinks());
        listener.seriesCompleted(result);
        return result;
    }
}
