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
 * The local simulation driver: runs a series' trials concurrently, at most {@code maxConcurrentTrials}
 * at a time, each its own federation over the shared read-only problem, and closes the series'
 * metrics stream when the last trial is done. It watches every trial it starts: when one fails, it
 * fails the series' metrics stream with that trial's {@link TrialFailure} and stops the other trials,
 * so the run ends at once with the cause instead of waiting for a trial that will never finish.
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
     * Runs every trial of one series, feeding {@code metrics}; completes it at the end, or fails it
     * and {@code failure} (which the engine waits on beside the stream, so that a failure is heard at
     * once even when the stream's own threads are busy).
     */
    public record RunSeries(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                            BoundedSourceQueue<RoundMetrics> metrics, java.util.Set<Integer> completed,
                            java.util.concurrent.CompletableFuture<Void> failure)
            implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }

    private record TrialFinished(TrialLauncher.TrialOutcome outcome) implements Command,
            org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }

    /**
     * The dispatcher of the control plane (the driver, each trial's guardian): its own thread, so that
     * "done" and "failed" are heard at once however busy the federations keep the default dispatcher.
     */
    public static final Props CONTROL = DispatcherSelector.fromConfig("fedlink.control-dispatcher");

    private final int maxConcurrentTrials;
    private final TrialLauncher launcher;
    private final ActorRef<TrialLauncher.TrialOutcome> trialDone;
    private RunSeries current;
    private int nextTrial;
    private int finished;
    private int toRun;
    private int started;

    private ExperimentDriver(ActorContext<Command> context, int maxConcurrentTrials, TrialLauncher launcher) {
        super(context);
        this.maxConcurrentTrials = maxConcurrentTrials;
        this.launcher = launcher;
        this.trialDone = context.messageAdapter(TrialLauncher.TrialOutcome.class, TrialFinished::new);
    }

    /**
     * @param maxConcurrentTrials trials whose federations exist at once
     * @param launcher            builds one trial's federation
     */
    public static Behavior<Command> create(int maxConcurrentTrials, TrialLauncher launcher) {
        return Behaviors.setup(ctx -> new ExperimentDriver(ctx, maxConcurrentTrials, launcher));
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
            run.metrics().complete();
            current = null;
            return this;
        }
        for (int i = 0; i < Math.min(maxConcurrentTrials, toRun); i++) {
            startNextTrial();
        }
        return this;
    }

    private void startNextTrial() {
        while (current.completed().contains(nextTrial)) {
            nextTrial++;                                         // done before a restart: from the checkpoint
        }
        final int trial = nextTrial++;
        started++;
        final RunSeries run = current;
        final MetricsOutlet outlet = metrics -> offer(run, metrics);
        final ActorRef<TrialLauncher.TrialDone> child = getContext().spawn(launcher.trial(run.experiment(), run.problem(),
                run.series(), trial, outlet, trialDone), "series-" + run.experiment().series().indexOf(run.series())
                + "-trial-" + trial, CONTROL);
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
        finished++;
        if (started < toRun) {
            startNextTrial();
        } else if (finished == toRun) {
            current.metrics().complete();
            current = null;
        }
        return this;
    }

    private Behavior<Command> onTrialFailed(ChildFailed failed) {
        return failSeries(failed.getCause());
    }

    /** A trial failed (it said so, or it stopped failing): the series fails with it, its trials stop. */
    private Behavior<Command> failSeries(Throwable cause) {
        if (current != null) {
            current.metrics().fail(cause);
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
