package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.engine.TrialWiring;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.ServerMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The server side of one trial: its monitor, its server behind the uplinks and its scheduler (and,
 * when checkpointing, the writer of the server's round state), spawned and watched as children of
 * the trial, wired from (seed, trial) by {@link TrialWiring}. Shared by the single-JVM trial, in
 * either mode, and the cluster's, whose clients live elsewhere.
 *
 * @param wiring    the trial's links and streams, for the clients to take their downlinks from
 * @param essential the children the trial cannot do without
 * @param roundStateWriter the trial's checkpoint writer, drained before the trial reports done; null without one
 */
public record ServerSide(ActorRef<MonitorMessage> monitor, ActorRef<ServerMessage> server,
                         ActorRef<SchedulerMessage> scheduler, TrialWiring wiring, Set<ActorRef<?>> essential,
                         ActorRef<RoundStateWriter.Drain> roundStateWriter) {

    /**
     * What one trial is built from.
     *
     * @param problem      the experiment's problem, shared read-only by all trials
     * @param roundTimeout how long a server waits for a silent client (lockstep, and free-running round 0),
     *                     and how long the scheduler waits for the clients to register
     * @param outlet       the metrics stream's entry
     * @param roundState   the server's round-state log (a checkpoint), or null
     */
    public record Setup(Experiment experiment, FederatedProblem problem, SeriesSpec series, int trial,
                        FederationMode mode, Duration roundTimeout, MetricsOutlet outlet,
                        ExperimentCheckpoint.RoundStateLog roundState) {
    }

    /**
     * One JVM: every client of the federation registers before round 0, or the trial fails.
     *
     * @param failures told at once when an actor of the server side fails
     */
    public static ServerSide spawn(ActorContext<TrialDone> ctx, Setup setup,
                                   ActorRef<TrialLauncher.TrialOutcome> failures) {
        return spawn(ctx, setup, -1, failures);
    }

    /**
     * A cluster (lockstep): round 0 waits at most one round timeout for {@code quorum} clients, then
     * starts with those that registered; the others are absent from the trial.
     */
    public static ServerSide spawnAwaiting(ActorContext<TrialDone> ctx, Setup setup, int quorum,
                                           ActorRef<TrialLauncher.TrialOutcome> failures) {
        return spawn(ctx, setup, quorum, failures);
    }

    private static ServerSide spawn(ActorContext<TrialDone> ctx, Setup setup, int quorum,
                                    ActorRef<TrialLauncher.TrialOutcome> failures) {
        final int trial = setup.trial();
        final Experiment experiment = setup.experiment();
        final FederatedProblem problem = setup.problem();
        final int clients = problem.clientCount();
        final int dimension = problem.dimension();
        final int uploadLength = setup.series().uploadLength(dimension);
        final int rounds = experiment.rounds();
        final FederatedAlgorithm algorithm = setup.series().algorithm();
        final TrialWiring wiring = TrialWiring.of(experiment, setup.series(), setup.trial());
        final boolean freeRunning = setup.mode() instanceof FederationMode.FreeRunning;

        final ActorRef<MonitorMessage> monitor = ctx.spawn(FailureReporter.reporting(MonitorMessage.class, trial,
                failures, freeRunning
                ? FreeRunningMonitor.create(setup.trial(), clients, rounds, problem.optimumSquaredNorm(), setup.outlet(),
                        ctx.getSelf())
                : TrialMonitor.create(setup.trial(), clients, rounds, problem.optimumSquaredNorm(),
                        algorithm.stepsWhenNotPolled(), setup.outlet(), ctx.getSelf())), "monitor");
        final Set<ActorRef<?>> essential = new HashSet<>();
        essential.add(monitor);
        RoundStateWriter.Handle roundState = null;
        ActorRef<RoundStateWriter.Drain> drain = null;
        if (setup.roundState() != null && !freeRunning) {
            final ActorRef<RoundStateWriter.Command> writer = ctx.spawn(FailureReporter.reporting(
                    RoundStateWriter.Command.class, trial, failures,
                    RoundStateWriter.create(setup.roundState(), setup.trial())), "round-state", RoundStateWriter.PROPS);
            essential.add(writer);
            roundState = new RoundStateWriter.Handle(writer.narrow(), setup.roundState().every());
            drain = writer.narrow();
        }
        final ActorRef<ServerMessage> server = ctx.spawn(FailureReporter.reporting(ServerMessage.class, trial, failures,
                NoisyMailbox.uplinks(uploadLength, wiring, freeRunning
                ? FreeRunningServerActor.create(setup.series().newServer(problem), clients, uploadLength,
                        setup.roundTimeout(), monitor)
                : ServerActor.create(setup.series().newServer(problem), uploadLength, setup.roundTimeout(), monitor,
                        roundState))), "server");
        essential.add(server);
        SchedulerActor.Settings settings = SchedulerActor.Settings.lockstep(experiment.scheduler(setup.series()),
                wiring.schedule(), algorithm.startUp(), rounds, clients, setup.roundTimeout());
        if (quorum >= 0) {
            settings = settings.startingWithoutStragglers(quorum);
        }
        if (setup.mode() instanceof FederationMode.FreeRunning f) {
            settings = settings.pacedEvery(f.serverPeriod());
        }
        final ActorRef<SchedulerMessage> scheduler = ctx.spawn(FailureReporter.reporting(SchedulerMessage.class, trial,
                failures, SchedulerActor.create(settings, server, monitor)), "scheduler");
        essential.add(scheduler);
        essential.forEach(ctx::watch);
        return new ServerSide(monitor, server, scheduler, wiring, Set.copyOf(essential), drain);
    }
}
