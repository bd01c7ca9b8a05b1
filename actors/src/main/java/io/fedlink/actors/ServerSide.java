package io.fedlink.actors;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.link.LinkNoise;
import io.fedlink.core.random.StreamKeys;
import io.fedlink.core.random.StreamPurpose;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.ServerMessage;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The server side of one lockstep trial: its monitor, its server behind the uplinks and its
 * scheduler, spawned as children of the trial, with the random streams of (seed, trial). Shared by
 * the single-JVM trial and the cluster's, whose clients live elsewhere.
 */
public record ServerSide(ActorRef<MonitorMessage> monitor, ActorRef<ServerMessage> server,
                         ActorRef<SchedulerMessage> scheduler) {

    /**
     * @param quorum        registrations the scheduler awaits before round 0
     * @param quorumTimeout  after this long round 0 starts with whoever registered; null to wait for all
     * @param roundState     the server's round-state log (a checkpoint), or null
     */
    public static ServerSide spawn(ActorContext<TrialMonitor.TrialDone> ctx, Experiment experiment,
                                   FederatedProblem problem, SeriesSpec series, int trial, Duration roundTimeout,
                                   MetricsOutlet outlet, ExperimentCheckpoint.RoundStateLog roundState, int quorum,
                                   Duration quorumTimeout) {
        final int clients = problem.clientCount();
        final int dimension = problem.dimension();
        final long seed = experiment.seed();
        final FederatedAlgorithm algorithm = series.algorithm();
        final LinkNoise links = LinkNoise.uniform(clients, series.uplinkVariance(), series.downlinkVariance());
        final ActorRef<MonitorMessage> monitor = ctx.spawn(TrialMonitor.create(trial, clients, experiment.rounds(),
                problem.optimumSquaredNorm(), algorithm.stepsWhenNotPolled(), outlet, ctx.getSelf()), "monitor");
        final ActorRef<ServerMessage> server = ctx.spawn(NoisyMailbox.uplinks(dimension, seed, trial, links,
                ServerActor.create(algorithm.newServer(clients, dimension), dimension, roundTimeout, monitor,
                        roundState)), "server");
        final ActorRef<SchedulerMessage> scheduler = ctx.spawn(SchedulerActor.create(experiment.scheduler(series),
                StreamKeys.stream(seed, trial, StreamPurpose.SCHEDULE, 0), algorithm.startUp(), experiment.rounds(),
                clients, quorum, quorumTimeout, server, monitor, null), "scheduler");
        return new ServerSide(monitor, server, scheduler);
    }
}
