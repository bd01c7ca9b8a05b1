package io.fedlink.actors;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import java.time.Duration;
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
    public sealed interface Command permits RunSeries, TrialFinished {
    }

    /** Runs every trial of one series, feeding {@code metrics}; completes it at the end. */
    public record RunSeries(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                            BoundedSourceQueue<RoundMetrics> metrics) implements Command {
    }

    private record TrialFinished(TrialMonitor.TrialDone done) implements Command {
    }

    private final int maxConcurrentTrials;
    private final FederationMode mode;
    private final Duration roundTimeout;
    private RunSeries current;
    private int nextTrial;
    private int finished;

    private ExperimentDriver(ActorContext<Command> context, int maxConcurrentTrials, FederationMode mode,
                             Duration roundTimeout) {
        super(context);
        this.maxConcurrentTrials = maxConcurrentTrials;
        this.mode = mode;
        this.roundTimeout = roundTimeout;
    }

    public static Behavior<Command> create(int maxConcurrentTrials, FederationMode mode, Duration roundTimeout) {
        return Behaviors.setup(ctx -> new ExperimentDriver(ctx, maxConcurrentTrials, mode, roundTimeout));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RunSeries.class, this::onRunSeries)
                .onMessage(TrialFinished.class, this::onTrialFinished)
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
        final int trials = run.experiment().trials();
        for (int i = 0; i < Math.min(maxConcurrentTrials, trials); i++) {
            startNextTrial();
        }
        return this;
    }

    private void startNextTrial() {
        final int trial = nextTrial++;
        final RunSeries run = current;
        final MetricsOutlet outlet = metrics -> run.metrics().offer(metrics)
                == org.apache.pekko.stream.QueueOfferResult.enqueued();
        getContext().spawnAnonymous(TrialActor.create(run.experiment(), run.problem(), run.series(), trial,
                mode, roundTimeout, outlet, getContext().messageAdapter(TrialMonitor.TrialDone.class, TrialFinished::new)));
    }

    private Behavior<Command> onTrialFinished(TrialFinished msg) {
        finished++;
        if (nextTrial < current.experiment().trials()) {
            startNextTrial();
        } else if (finished == current.experiment().trials()) {
            current.metrics().complete();
            current = null;
        }
        return this;
    }
}
