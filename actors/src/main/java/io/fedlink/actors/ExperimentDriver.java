package io.fedlink.actors;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * The local simulation driver: runs a series' trials in blocks (consecutive trials not yet completed,
 * each block one federation over the shared read-only problem), at most {@code maxConcurrentBlocks} blocks
 * at a time, and closes the series' metrics stream when the last block is done. It watches every block it
 * starts: when one fails, it fails the series' metrics stream with that block's {@link TrialFailure} and
 * stops the other blocks, so the run ends at once with the cause instead of waiting for a trial that will
 * never finish.
 */
public final class ExperimentDriver extends AbstractBehavior<ExperimentDriver.Command> {

    /** What the driver hears. */
    public sealed interface Command permits RunSeries, TrialFinished, Stop {
    }

    /** Stops the driver (and any trial still running under it). */
    public enum Stop implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {
        INSTANCE
    }

    /**
     * Runs every trial of one series not in {@code completed}, in blocks of at most {@code blockSize},
     * feeding {@code metrics}; completes it at the end, or fails it and {@code failure} (which the engine
     * waits on beside the stream, so that a failure is heard at once even when the stream's own threads are
     * busy).
     */
    public record RunSeries(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                            BoundedSourceQueue<RoundMetrics> metrics, java.util.Set<Integer> completed,
                            java.util.concurrent.CompletableFuture<Void> failure, int blockSize)
            implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {

        /** Trials one at a time. */
        public RunSeries(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                         BoundedSourceQueue<RoundMetrics> metrics, java.util.Set<Integer> completed,
                         java.util.concurrent.CompletableFuture<Void> failure) {
            this(experiment, problem, series, metrics, completed, failure, 1);
        }
    }

    private record TrialFinished(TrialLauncher.TrialOutcome outcome) implements Command,
            org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }

    /**
     * The dispatcher of the control plane (the driver): its own thread, so that "done" and "failed" are
     * heard at once however busy the federations keep the default dispatcher.
     */
    public static final Props CONTROL = DispatcherSelector.fromConfig("fedlink.control-dispatcher");

    private final int maxConcurrentBlocks;
    private final TrialLauncher launcher;
    private final ActorRef<TrialLauncher.TrialOutcome> trialDone;
    private RunSeries current;
    private int nextTrial;
    private int finished;
    private int toRun;
    private int started;

    private ExperimentDriver(ActorContext<Command> context, int maxConcurrentBlocks, TrialLauncher launcher) {
        super(context);
        this.maxConcurrentBlocks = maxConcurrentBlocks;
        this.launcher = launcher;
        this.trialDone = context.messageAdapter(TrialLauncher.TrialOutcome.class, TrialFinished::new);
    }

    /**
     * @param maxConcurrentBlocks federations (blocks of trials) that exist at once
     * @param launcher            builds one block's federation
     */
    public static Behavior<Command> create(int maxConcurrentBlocks, TrialLauncher launcher) {
        return Behaviors.setup(ctx -> new ExperimentDriver(ctx, maxConcurrentBlocks, launcher));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RunSeries.class, this::onRunSeries)
                .onMessage(TrialFinished.class, this::onTrialFinished)
                .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
                .onSignal(ChildFailed.class, this::onTrialFailed)
                .onSignal(Terminated.class, stopped -> this)         // a trial done: TrialFinished counted it
                .onSignal(PostStop.class, stop -> onPostStop())
                .build();
    }

    private Behavior<Command> onRunSeries(RunSeries run) {
        if (current != null) {
            final IllegalStateException busy = new IllegalStateException("a series is already running");
            run.metrics().fail(busy);
            run.failure().completeExceptionally(busy);
            return this;
        }
        current = run;
        nextTrial = 0;
        finished = 0;
        started = 0;
        toRun = run.experiment().trials() - run.completed().size();
        if (toRun == 0) {
            completeQuietly(run);
            current = null;
            return this;
        }
        for (int i = 0; i < maxConcurrentBlocks && started < toRun; i++) {
            startNextBlock();
        }
        return this;
    }

    /** Starts the next block: up to blockSize of the trials that follow, those done before a restart skipped. */
    private void startNextBlock() {
        final RunSeries run = current;
        final int size = Math.max(1, Math.min(run.blockSize(), launcher.maxBlockSize()));
        final int[] block = new int[Math.min(size, toRun - started)];
        for (int i = 0; i < block.length; i++) {
            while (run.completed().contains(nextTrial)) {
                nextTrial++;                                     // done before a restart: from the checkpoint
            }
            block[i] = nextTrial++;
        }
        started += block.length;
        final MetricsOutlet outlet = metrics -> offer(run, metrics);
        // On the default dispatcher, beside its federation's actors: a federation's guardian spawns and
        // watches every client, and on the control dispatcher's one thread that cost a federation of a
        // hundred thousand clients half its time (`fedlink scale`). Failures need not wait for it: each
        // actor's FailureReporter tells the driver (on the control dispatcher) from the failing thread.
        final ActorRef<TrialLauncher.TrialDone> child = getContext().spawn(launcher.trials(run.experiment(),
                run.problem(), run.series(), block, outlet, trialDone), "series-"
                + run.experiment().series().indexOf(run.series()) + "-trial-" + block[0]);
        getContext().watch(child);
    }

    /** Full: try later. Closed or failed: the series is over, and the trial offering must fail. */
    private static boolean offer(RunSeries run, RoundMetrics metrics) {
        final QueueOfferResult result = run.metrics().offer(metrics);
        if (result == QueueOfferResult.enqueued()) {
            return true;
        }
        if (result == QueueOfferResult.dropped()) {
            return false;
        }
        if (result instanceof QueueOfferResult.Failure failure) {
            throw new IllegalStateException("the metrics stream of series " + run.series().label() + " has failed: "
                    + failure.cause().getMessage(), failure.cause());
        }
        throw new IllegalStateException("the metrics stream of series " + run.series().label() + " is closed");
    }

    private Behavior<Command> onTrialFinished(TrialFinished msg) {
        if (msg.outcome() instanceof TrialLauncher.TrialFailed failed) {
            return failSeries(failed.failure());
        }
        if (current == null) {
            return this;                                         // the series failed; a straggler finished
        }
        finished += ((TrialLauncher.TrialDone) msg.outcome()).trials().length;
        if (started < toRun) {
            startNextBlock();
        } else if (finished == toRun) {
            completeQuietly(current);
            current = null;
        }
        return this;
    }

    private Behavior<Command> onTrialFailed(ChildFailed failed) {
        return failSeries(failed.getCause());
    }

    /**
     * Completes the series' stream; one already over (a consumer of it failed) has its failure, which
     * the engine hears from the stream itself: the driver must not fail over it.
     */
    private static void completeQuietly(RunSeries run) {
        try {
            run.metrics().complete();
        } catch (IllegalStateException streamOver) {
            // the stream's own failure stands
        }
    }

    /** A trial failed (it said so, or it stopped failing): the series fails with it, its trials stop. */
    private Behavior<Command> failSeries(Throwable cause) {
        if (current != null) {
            try {
                current.metrics().fail(cause);
            } catch (IllegalStateException streamOver) {
                // The stream ended first (a consumer of it failed, which is what this trial heard): the
                // engine has its failure already; the driver must not fail over it and hide the cause.
            }
            current.failure().completeExceptionally(cause);
            current = null;
        }
        getContext().getChildren().forEach(getContext()::stop);
        return this;
    }

    private Behavior<Command> onPostStop() {
        if (current != null) {
            final IllegalStateException stopped = new IllegalStateException("the experiment driver stopped before "
                    + "series " + current.series().label() + " finished");
            try {
                current.metrics().fail(stopped);
            } catch (IllegalStateException streamGone) {
                // The actor system is shutting down and took the metrics stream with it: nothing to tell.
            }
            current.failure().completeExceptionally(stopped);
            current = null;
        }
        return this;
    }
}
