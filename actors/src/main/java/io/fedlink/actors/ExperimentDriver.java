package io.fedlink.actors;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.BoundedSourceQueue;

/**
 * The local simulation driver, guardian of the ActorSystem: runs a series' trials concurrently, at
 * most {@code maxConcurrentTrials} at a time, each its own federation over the shared read-only
 * problem, and closes the series' metrics stream when the last trial is done.
 */
public final class ExperimentDriver extends AbstractBehavior<ExperimentDriver.Command> {

    /** What the driver hears. */
    public sealed interface Command permits RunSeries, TrialFinished, Stop {
    }

    /** Stops the driver (and any trial still running under it). */
    public enum Stop implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {
        INSTANCE
    }

    /** Runs every trial of one series, feeding {@code metrics}; completes it at the end. */
    public record RunSeries(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                            BoundedSourceQueue<RoundMetrics> metrics, java.util.Set<Integer> completed)
            implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }

    private record TrialFinished(TrialMonitor.TrialDone done) implements Command,
            org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }

    private final int maxConcurrentTrials;
    private final TrialLauncher launcher;
    private RunSeries current;
    private int nextTrial;
    private int finished;
    private int toRun;
    private int started;

    private ExperimentDriver(ActorContext<Command> context, int maxConcurrentTrials, TrialLauncher launcher) {
        super(context);
        this.maxConcurrentTrials = maxConcurrentTrials;
        this.launcher = launcher;
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
                .build();
    }

    private Behavior<Command> onRunSeries(RunSeries run) {
        if (current != null) {
            run.metrics().fail(new IllegalStateException("a series is already running"));
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
        final MetricsOutlet outlet = metrics -> run.metrics().offer(metrics)
                == org.apache.pekko.stream.QueueOfferResult.enqueued();
        getContext().spawnAnonymous(launcher.trial(run.experiment(), run.problem(), run.series(), trial, outlet,
                getContext().messageAdapter(TrialMonitor.TrialDone.class, TrialFinished::new)));
    }

    private Behavior<Command> onTrialFinished(TrialFinished msg) {
        finished++;
        if (started < toRun) {
            startNextTrial();
        } else if (finished == toRun) {
            current.metrics().complete();
            current = null;
        }
        return this;
    }
}
