package io.fedlink.cluster;

import io.fedlink.actors.FederationMode;
import io.fedlink.actors.MetricsOutlet;
import io.fedlink.actors.ServerSide;
import io.fedlink.actors.TrialGuardian;
import io.fedlink.actors.TrialLauncher;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.protocol.NodeMessage;
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
    public Behavior<TrialDone> trial(Experiment experiment, FederatedProblem problem, SeriesSpec series, int trial,
                                     MetricsOutlet outlet, ActorRef<TrialOutcome> replyTo) {
        // A key that names the trial itself, so that a restarted server's rerun replaces it on the nodes.
        final int seriesIndex = experiment.series().indexOf(series);
        final int key = seriesIndex * experiment.trials() + trial;
        return Behaviors.setup(ctx -> {
            final ServerSide side = ServerSide.spawnAwaiting(ctx, new ServerSide.Setup(experiment, problem, series,
                    trial, new FederationMode.Lockstep(), roundTimeout, outlet,
                    checkpoint == null ? null : checkpoint.roundState(seriesIndex, trial)), directory.clientCount(), replyTo);
            directory.startTrial(new NodeMessage.StartTrial(key, trial, series.algorithm().id(),
                    series.downlinkVariance(), problem.optimum(), side.scheduler().narrow(), side.monitor().narrow()));
            return TrialGuardian.watching(ctx, trial, side.essential(), replyTo, () -> directory.endTrial(key));
        });
    }
}
