package io.fedlink.cluster;

import io.fedlink.actors.ExperimentCheckpoint;
import io.fedlink.actors.FederationMode;
import io.fedlink.actors.MetricsOutlet;
import io.fedlink.actors.ServerSide;
import io.fedlink.actors.TrialGuardian;
import io.fedlink.actors.TrialLauncher;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A trial on the cluster: the server side (monitor, server behind its uplinks, scheduler) runs here
 * on the server node, exactly as in one JVM; the clients are spawned by their own nodes, each behind
 * its downlink, and register with this trial's scheduler. The random streams are keyed as in one
 * JVM, so the curves are the same, bit for bit.
 *
 * <p>Clients nodes never get the scheduler's and monitor's own references: the trial's
 * {@link TrialAdmission} (an essential child, watched like the rest) gives each node gates that pass
 * registrations and deviation reports for that node's own clients only. Uploads go to the
 * upload-only reference each poll carries.
 */
final class ClusterTrial implements TrialLauncher {

    private final NodeDirectory directory;
    private final Duration roundTimeout;
    private final ExperimentCheckpoint checkpoint;

    /** @param checkpoint where servers write their round state, or null */
    ClusterTrial(NodeDirectory directory, Duration roundTimeout, ExperimentCheckpoint checkpoint) {
        this.directory = directory;
        this.roundTimeout = roundTimeout;
        this.checkpoint = checkpoint;
    }

    /** A cluster's federations are one trial each: its clients nodes spawn a trial's clients (StartTrial). */
    @Override
    public int maxBlockSize() {
        return 1;
    }

    @Override
    public Behavior<TrialDone> trials(Experiment experiment, FederatedProblem problem, SeriesSpec series, int[] trials,
                                      MetricsOutlet outlet, ActorRef<TrialOutcome> replyTo) {
        if (trials.length != 1) {
            throw new IllegalArgumentException("a cluster trial is one trial, not " + trials.length);
        }
        final int trial = trials[0];
        // A key that names the trial itself, so that a restarted server's rerun replaces it on the nodes.
        final int seriesIndex = experiment.series().indexOf(series);
        final int key = seriesIndex * experiment.trials() + trial;
        return Behaviors.setup(ctx -> {
            // Round 0 waits for the clients of the nodes ready now (at most a round timeout). With none
            // ready (all were lost and are rejoining), it waits for the whole federation instead, and
            // after a round timeout starts with those that came: a node registers its range at once.
            final int present = directory.clientCount();
            final int quorum = present > 0 ? present : experiment.clients();
            final ServerSide side = ServerSide.spawnAwaiting(ctx, new ServerSide.Setup(experiment, problem, series,
                    trial, new FederationMode.Lockstep(), roundTimeout, outlet,
                    checkpoint == null ? null : checkpoint.roundState(seriesIndex, trial)), quorum, replyTo);
            final ActorRef<TrialAdmission.Admit> admission = ctx.spawn(TrialAdmission.create(
                    new TrialAdmission.Trial(key, trial, series.algorithm().id(), series.downlinkVariance(),
                            problem.optimum()), side.scheduler(), side.monitor()), "admission");
            ctx.watch(admission);
            ctx.getLog().info("trial {} of {} starts with {} clients on the nodes ready", trial, series.label(), present);
            final Set<ActorRef<?>> essential = new HashSet<>(side.essential());
            essential.add(admission);
            directory.startTrial(key, admission);
            return TrialGuardian.watching(ctx, trials, essential, side.roundStateWriter(), replyTo,
                    () -> directory.endTrial(key));
        });
    }
}
