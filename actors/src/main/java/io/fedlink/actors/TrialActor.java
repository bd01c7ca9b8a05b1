package io.fedlink.actors;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.link.LinkNoise;
import io.fedlink.core.random.StreamKeys;
import io.fedlink.core.random.StreamPurpose;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import io.fedlink.protocol.ServerMessage;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One trial's federation, as a subtree of actors: monitor, server (behind its uplinks), scheduler and
 * K clients (each behind its downlink), all built from the same pure rules as the reference engine
 * and the same random streams. The trial stops, and with it every actor of the subtree, once the
 * monitor has delivered the last round.
 */
public final class TrialActor {

    private TrialActor() {
    }

    /**
     * @param problem      the experiment's problem, shared read-only by all trials
     * @param mode         lockstep or free-running
     * @param roundTimeout how long the server waits for a silent client (lockstep)
     * @param outlet       the metrics stream's entry
     * @param replyTo      told when the trial is complete
     */
    public static Behavior<TrialMonitor.TrialDone> create(Experiment experiment, FederatedProblem problem,
                                                          SeriesSpec series, int trial, FederationMode mode,
                                                          Duration roundTimeout, MetricsOutlet outlet,
                                                          ActorRef<TrialMonitor.TrialDone> replyTo) {
        return create(experiment, problem, series, trial, mode, roundTimeout, outlet, replyTo, null);
    }

    /** @param roundState the server's round-state log (a checkpoint), or null */
    public static Behavior<TrialMonitor.TrialDone> create(Experiment experiment, FederatedProblem problem,
                                                          SeriesSpec series, int trial, FederationMode mode,
                                                          Duration roundTimeout, MetricsOutlet outlet,
                                                          ActorRef<TrialMonitor.TrialDone> replyTo,
                                                          ExperimentCheckpoint.RoundStateLog roundState) {
        return Behaviors.setup(ctx -> {
            if (mode instanceof FederationMode.FreeRunning freeRunning) {
                spawnFreeRunning(ctx, experiment, problem, series, trial, freeRunning, outlet);
            } else {
                spawnFederation(ctx, experiment, problem, series, trial, roundTimeout, outlet, roundState);
            }
            return Behaviors.receive(TrialMonitor.TrialDone.class)
                    .onMessage(TrialMonitor.TrialDone.class, done -> {
                        replyTo.tell(done);
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }

    private static void spawnFederation(ActorContext<TrialMonitor.TrialDone> ctx, Experiment experiment,
                                        FederatedProblem problem, SeriesSpec series, int trial,
                                        Duration roundTimeout, MetricsOutlet outlet,
                                        ExperimentCheckpoint.RoundStateLog roundState) {
        final int clients = problem.clientCount();
        final FederatedAlgorithm algorithm = series.algorithm();
        final LinkNoise links = LinkNoise.uniform(clients, series.uplinkVariance(), series.downlinkVariance());
        final double[] optimum = problem.optimum();                 // one read-only copy for the trial's clients
        final ServerSide side = ServerSide.spawn(ctx, experiment, problem, series, trial, roundTimeout, outlet,
                roundState, clients, null);
        final ActorRef<MonitorMessage> monitor = side.monitor();
        final ActorRef<SchedulerMessage> scheduler = side.scheduler();
        final int dimension = problem.dimension();
        final long seed = experiment.seed();
        for (int k = 0; k < clients; k++) {
            final ActorRef<ClientMessage> client = ctx.spawn(NoisyMailbox.downlink(ClientMessage.class, dimension, seed,
                    trial, k, links.downlink(k), ClientActor.create(algorithm.newClient(problem.client(k)), optimum,
                            monitor, algorithm.stepsWhenNotPolled())), "client-" + k);
            scheduler.tell(new RegisterClient(k, client));
        }
    }

    private static void spawnFreeRunning(ActorContext<TrialMonitor.TrialDone> ctx, Experiment experiment,
                                         FederatedProblem problem, SeriesSpec series, int trial,
                                         FederationMode.FreeRunning mode, MetricsOutlet outlet) {
        final int clients = problem.clientCount();
        final int dimension = problem.dimension();
        final long seed = experiment.seed();
        final FederatedAlgorithm algorithm = series.algorithm();
        final LinkNoise links = LinkNoise.uniform(clients, series.uplinkVariance(), series.downlinkVariance());
        final double[] optimum = problem.optimum();                 // one read-only copy for the trial's clients

        final ActorRef<MonitorMessage> monitor = ctx.spawn(FreeRunningMonitor.create(trial, clients,
                experiment.rounds(), problem.optimumSquaredNorm(), outlet, ctx.getSelf()), "monitor");
        final ActorRef<ServerMessage> server = ctx.spawn(NoisyMailbox.uplinks(dimension, seed, trial, links,
                FreeRunningServerActor.create(algorithm.newServer(clients, dimension), clients, dimension, monitor)),
                "server");
        final ActorRef<SchedulerMessage> scheduler = ctx.spawn(SchedulerActor.create(experiment.scheduler(series),
                StreamKeys.stream(seed, trial, StreamPurpose.SCHEDULE, 0), algorithm.startUp(), experiment.rounds(),
                clients, clients, server, monitor, mode.serverPeriod()), "scheduler");
        for (int k = 0; k < clients; k++) {
            final Duration period = mode.clientPeriod(
                    StreamKeys.stream(seed, trial, StreamPurpose.CLIENT_CLOCK, k).nextDouble());
            final ActorRef<ClientMessage> client = ctx.spawn(NoisyMailbox.downlink(ClientMessage.class, dimension, seed,
                    trial, k, links.downlink(k), FreeRunningClientActor.create(algorithm.newClient(problem.client(k)),
                            optimum, monitor, algorithm.stepsWhenNotPolled(), period)), "client-" + k);
            scheduler.tell(new RegisterClient(k, client));
        }
    }
}
