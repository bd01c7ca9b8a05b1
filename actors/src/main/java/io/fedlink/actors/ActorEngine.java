package io.fedlink.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.engine.SimulationEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The actor engine: runs an experiment as Pekko Typed federations in one ActorSystem, trials side by
 * side, and averages their curves through a Pekko Streams graph. In lockstep mode its curves are
 * bit-identical to the {@link io.fedlink.core.engine.ReferenceEngine}'s for the same seed and settings.
 *
 * <pre>
 *   TrialMonitor x M --offer--> Source.queue --alsoTo--> progress
 *                                             \--fold--> mean curve (trial order) --> SeriesResult
 * </pre>
 */
public final class ActorEngine implements SimulationEngine {

    private final int maxConcurrentTrials;
    private final FederationMode mode;
    private final TrialLauncher launcher;
    private final ActorSystem<?> hostSystem;
    private volatile ExperimentCheckpoint checkpoint;

    /**
     * @param maxConcurrentTrials trials whose federations exist at once (bounds memory and keeps the
     *                            cores busy while one trial waits between rounds)
     * @param roundTimeout        how long a server waits for a silent client before dropping it
     */
    public ActorEngine(int maxConcurrentTrials, Duration roundTimeout) {
        this(maxConcurrentTrials, new FederationMode.Lockstep(), roundTimeout);
    }

    /**
     * @param maxConcurrentTrials trials whose federations exist at once
     * @param mode                lockstep (bit-identical to the reference engine) or free-running
     * @param roundTimeout        how long a lockstep server waits for a silent client
     */
    public ActorEngine(int maxConcurrentTrials, FederationMode mode, Duration roundTimeout) {
        this.maxConcurrentTrials = checkedConcurrency(maxConcurrentTrials);
        this.mode = mode;
        this.hostSystem = null;
        this.launcher = (experiment, problem, series, trial, outlet, replyTo) -> TrialActor.create(experiment, problem,
                series, trial, mode, roundTimeout, outlet, replyTo, roundState(experiment, series, trial));
    }

    private static int checkedConcurrency(int maxConcurrentTrials) {
        if (maxConcurrentTrials < 1) {
            throw new IllegalArgumentException("at least one trial must run at a time, got " + maxConcurrentTrials);
        }
        return maxConcurrentTrials;
    }

    /**
     * Keeps a checkpoint: completed trials are recorded as they finish and skipped when the same
     * experiment runs again; servers write their round state every N rounds.
     */
    public ActorEngine checkpointing(ExperimentCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
        return this;
    }

    /** The round-state log of one trial, when checkpointing. */
    public ExperimentCheckpoint.RoundStateLog roundState(Experiment experiment, SeriesSpec series, int trial) {
        final ExperimentCheckpoint c = checkpoint;
        return c == null ? null : c.roundState(experiment.series().indexOf(series), trial);
    }

    /**
     * An engine whose trials some other launcher builds (a cluster's), in a given ActorSystem.
     *
     * @param hostSystem the system to run in, left running afterwards; null for a fresh one per run
     */
    public ActorEngine(int maxConcurrentTrials, FederationMode mode, TrialLauncher launcher, ActorSystem<?> hostSystem) {
        this.mode = mode;
        this.launcher = launcher;
        this.hostSystem = hostSystem;
        this.maxConcurrentTrials = checkedConcurrency(maxConcurrentTrials);
    }

    /** Two trials per core, and a round timeout generous enough for any local catch-up. */
    public static ActorEngine usingAllCores() {
        return new ActorEngine(2 * Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(60));
    }

    @Override
    public String id() {
        return "actors";
    }

    @Override
    public String toString() {
        return "actors (" + mode.id() + ")";
    }

    /** The mode the federations run in. */
    public FederationMode mode() {
        return mode;
    }

    /**
     * The ActorSystem's configuration: quiet logging; in free-running mode a 1 ms scheduler tick, so
     * that clients' clocks of a few milliseconds are kept (Pekko's default tick is 10 ms); and a
     * default dispatcher with one thread per core. Pekko's default of at least 8 threads put 8
     * threads on this project's 2 cores, where every message hop risked a context switch: paper-fig4
     * took 12.4 s with 8 threads and 8.3 s with 2 (`fedlink benchmark --engine actors`). Nothing in
     * the local engine blocks a dispatcher thread, except that with --checkpoint-every the round
     * state and completed trials are written (and fsynced) from it: such runs trade that stall for
     * their resumability.
     */
    Config config() {
        final String tick = mode instanceof FederationMode.FreeRunning ? "pekko.scheduler.tick-duration = 1ms\n" : "";
        final int cores = Runtime.getRuntime().availableProcessors();
        final String threads = "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = " + cores + "\n"
                + "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = " + cores + "\n";
        return ConfigFactory.parseString(tick + threads + """
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """).withFallback(ConfigFactory.load());
    }

    /**
     * Trials at once: the configured bound, lowered so that the federations alive together take at
     * most half the heap (a trial holds K client actors with up to 12 L-vectors each, and its monitor up
     * to K x T deviations).
     */
    int concurrentTrials(Experiment experiment) {
        final long perTrial = (long) experiment.clients()
                * (APPROXIMATE_ACTOR_BYTES + 12L * experiment.dimension() * Double.BYTES
                   + (long) (experiment.rounds() + 1) * Double.BYTES);
        final long affordable = Math.max(1, Runtime.getRuntime().maxMemory() / 2 / Math.max(1, perTrial));
        return (int) Math.min(Math.min(maxConcurrentTrials, affordable), experiment.trials());
    }

    /**
     * Heap of one client actor with its cell, mailbox and decorator, beyond its vectors: `fedlink
     * scale` measures about 3.4 KB per client in all at L = 16 and T = 20 (docs/performance.md).
     */
    private static final long APPROXIMATE_ACTOR_BYTES = 2_500;

    @Override
    public List<SeriesResult> run(Experiment experiment, FederatedProblem problem, ProgressListener listener) {
        final ActorSystem<?> system = hostSystem != null ? hostSystem
                : ActorSystem.create(Behaviors.empty(), "fedlink", config());
        final ActorRef<ExperimentDriver.Command> driver = system.systemActorOf(
                ExperimentDriver.create(concurrentTrials(experiment), launcher),
                "fedlink-driver-" + DRIVERS.incrementAndGet(), Props.empty());
        try {
            final List<SeriesResult> results = new ArrayList<>();
            for (SeriesSpec series : experiment.series()) {
                results.add(runSeries(system, driver, experiment, problem, series, listener, checkpoint));
            }
            return results;
        } finally {
            if (hostSystem == null) {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().join();
            } else {
                driver.tell(ExperimentDriver.Stop.INSTANCE);
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger DRIVERS = new java.util.concurrent.atomic.AtomicInteger();

    /** The checkpoint branch of the graph: a trial's rounds are written once its last round arrives. */
    private static Sink<RoundMetrics, ?> recorder(ExperimentCheckpoint checkpoint, int seriesIndex, int trials, int rounds) {
        @SuppressWarnings("unchecked")
        final List<RoundMetrics>[] pending = new List[trials];
        return Sink.foreach(m -> {
            if (pending[m.trial()] == null) {
                pending[m.trial()] = new ArrayList<>(rounds);
            }
            pending[m.trial()].add(m);
            if (m.round() == rounds) {
                checkpoint.trialCompleted(seriesIndex, m.trial(), pending[m.trial()]);
                pending[m.trial()] = null;
            }
        });
    }

    /** The progress branch of the graph: tells the listener of each finished trial and what it went through. */
    private static Sink<RoundMetrics, ?> progress(SeriesSpec series, int trials, int rounds, ProgressListener listener) {
        final long[] dropped = new long[trials];
        return Sink.foreach(m -> {
            dropped[m.trial()] += m.dropped();
            if (m.round() == rounds) {
                listener.trialCompleted(series, m.trial());
                listener.trialAccount(series, m.trial(), m.clients(), dropped[m.trial()]);
            }
        });
    }

    private static SeriesResult runSeries(ActorSystem<?> system, ActorRef<ExperimentDriver.Command> driver,
                                          Experiment experiment, FederatedProblem problem, SeriesSpec series,
                                          ProgressListener listener, ExperimentCheckpoint checkpoint) {
        listener.seriesStarted(series);
        final long start = System.nanoTime();
        final int rounds = experiment.rounds();
        final int seriesIndex = experiment.series().indexOf(series);
        final CurveAccumulator accumulator = new CurveAccumulator(experiment.trials(), rounds);
        final java.util.Map<Integer, List<RoundMetrics>> completed = checkpoint == null ? java.util.Map.of()
                : checkpoint.completedTrials(seriesIndex, rounds);
        completed.forEach((trial, metrics) -> {
            metrics.forEach(accumulator::add);                   // from the checkpoint: not run again
            listener.trialCompleted(series, trial);
        });
        Source<RoundMetrics, BoundedSourceQueue<RoundMetrics>> source = Source.<RoundMetrics>queue(4096)
                .alsoTo(progress(series, experiment.trials(), rounds, listener));
        if (checkpoint != null) {
            source = source.alsoTo(recorder(checkpoint, seriesIndex, experiment.trials(), rounds));
        }
        final Pair<BoundedSourceQueue<RoundMetrics>, CompletionStage<CurveAccumulator>> graph = source
                .toMat(Sink.fold(accumulator, CurveAccumulator::add), Keep.both())
                .run(system);
        driver.tell(new ExperimentDriver.RunSeries(experiment, problem, series, graph.first(),
                java.util.Set.copyOf(completed.keySet())));
        final CurveAccumulator curves;
        try {
            // A hosting system may stop under us (a cluster node downed by the split-brain resolver):
            // then the series cannot finish, and waiting on the stream alone could wait forever.
            final java.util.concurrent.CompletableFuture<CurveAccumulator> done = graph.second().toCompletableFuture();
            java.util.concurrent.CompletableFuture.anyOf(done, system.getWhenTerminated().toCompletableFuture()).get();
            if (!done.isDone()) {
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
                curves.meanSeconds(), curves.droppedPolls());
        listener.seriesCompleted(result);
        return result;
    }
}
