package io.fedlink.cluster;

import io.fedlink.actors.MetricsOutlet;
import io.fedlink.actors.TrialLauncher;
import io.fedlink.actors.TrialMonitor;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.SchedulerMessage;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A trial on the cluster: the server side (monitor, server behind its uplinks, scheduler) runs here
 * on the server node, exactly as in one JVM; the clients are spawned by their own nodes, each behind
 * its downlink, and register with this trial's scheduler. The random streams are keyed as in one
 * JVM, so the curves are the same, bit for bit.
 */
final class ClusterTrial implements TrialLauncher {

    private final NodeDirectory directory;
    private final Duration roundTimeout;
    private final io.fedlink.actors.ExperimentCheckpoint checkpoint;

    /** @param checkpoint where servers write their round state, or null */
    ClusterTrial(NodeDirectory directory, Duration roundTimeout, io.fedlink.actors.ExperimentCheckpoint checkpoint) {
        this.directory = directory;
        this.roundTimeout = roundTimeout;
        this.checkpoint = checkpoint;
    }

    @Override
    public Behavior<TrialMonitor.TrialDone> trial(Experiment experiment, FederatedProblem problem, SeriesSpec series,
                                                  int trial, MetricsOutlet outlet,
                                                  ActorRef<TrialMonitor.TrialDone> replyTo) {
        // A key that names the trial itself, so that a restarted server's rerun replaces it on the nodes.
        final int key = experiment.series().indexOf(series) * experiment.trials() + trial;
        return Behaviors.setup(ctx -> {
            final io.fedlink.actors.ServerSide side = io.fedlink.actors.ServerSide.spawn(ctx, experiment, problem,
                    series, trial, roundTimeout, outlet, checkpoint == null ? null
                            : checkpoint.roundState(experiment.series().indexOf(series), trial),
                    directory.clientCount(), roundTimeout);
            final FederatedAlgorithm algorithm = series.algorithm();
            final ActorRef<SchedulerMessage> scheduler = side.scheduler();
            final ActorRef<MonitorMessage> monitor = side.monitor();
            directory.startTrial(new NodeMessage.StartTrial(key, trial, algorithm.id(), series.downlinkVariance(),
                    problem.optimum(), scheduler, monitor));
            return Behaviors.receive(TrialMonitor.TrialDone.class)
                    .onMessage(TrialMonitor.TrialDone.class, done -> {
                        directory.endTrial(key);
                        replyTo.tell(done);
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }
}
