package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.engine.TrialWiring;
import io.fedlink.core.link.LinkNoise;
import io.fedlink.core.random.RandomStream;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.ServerMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The server side of one federation, which simulates a block of trials of one series (one trial on a
 * cluster and in free-running mode): its monitor, its server behind the uplinks and its scheduler (and,
 * when checkpointing, the writer of the server's round state), spawned and watched as children of the
 * federation, each trial wired from (seed, trial) by {@link TrialWiring}. Shared by the single-JVM
 * federation, in either mode, and the cluster's, whose clients live elsewhere.
 *
 * @param wirings   each slot's trial's links and streams, for the clients to take their downlinks from
 * @param essential the children the federation cannot do without
 * @param roundStateWriter the block's checkpoint writer, drained before the block reports done; null without one
 */
public record ServerSide(ActorRef<MonitorMessage> monitor, ActorRef<ServerMessage> server,
                         ActorRef<SchedulerMessage> scheduler, TrialWiring[] wirings, Set<ActorRef<?>> essential,
                         ActorRef<RoundStateWriter.Drain> roundStateWriter) {

    /**
     * What one federation is built from.
     *
     * @param problem      the experiment's problem, shared read-only by all trials
     * @param trials       the trials of the block, ascending (slot s is trial trials[s]); one in free-running mode
     * @param roundTimeout how long a server waits for a silent client (lockstep, and free-running round 0),
     *                     how long the scheduler waits for the clients to register, and how long the monitor
     *                     waits, once the trial has ended, for a deviation report still owed
     * @param outlet       the metrics stream's entry
     * @param roundStates  each slot's round-state log (a checkpoint), or null
     */
    public record Setup(Experiment experiment, FederatedProblem problem, SeriesSpec series, int[] trials,
                        FederationMode mode, Duration roundTimeout, MetricsOutlet outlet,
                        ExperimentCheckpoint.RoundStateLog[] roundStates) {

        public Setup {
            if (trials.length == 0) {
                throw new IllegalArgumentException("a federation simulates at least one trial");
            }
            if (mode instanceof FederationMode.FreeRunning && trials.length != 1) {
                throw new IllegalArgumentException("a free-running federation simulates one trial, not "
                        + trials.length + ": its clock is its own");
            }
        }

        /** A federation of one trial. */
        public Setup(Experiment experiment, FederatedProblem problem, SeriesSpec series, int trial, FederationMode mode,
                     Duration roundTimeout, MetricsOutlet outlet, ExperimentCheckpoint.RoundStateLog roundState) {
            this(experiment, problem, series, new int[] {trial}, mode, roundTimeout, outlet,
                    roundState == null ? null : new ExperimentCheckpoint.RoundStateLog[] {roundState});
        }
    }

    /** The trial of a federation of one trial (slot 0's). */
    public TrialWiring wiring() {
        return wirings[0];
    }

    /**
     * One JVM: every client of the federation registers before round 0, or the federation fails.
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
        final int[] trials = setup.trials();
        final Experiment experiment = setup.experiment();
        final FederatedProblem problem = setup.problem();
        final int clients = problem.clientCount();
        final int dimension = problem.dimension();
        final int uploadLength = setup.series().uploadLength(dimension);
        final int rounds = experiment.rounds();
        final FederatedAlgorithm algorithm = setup.series().algorithm();
        final LinkNoise links = TrialWiring.links(experiment, setup.series());
        final TrialWiring[] wirings = new TrialWiring[trials.length];
        final RandomStream[] schedules = new RandomStream[trials.length];
        final ServerRule[] rules = new ServerRule[trials.length];
        for (int s = 0; s < trials.length; s++) {
            wirings[s] = new TrialWiring(experiment.seed(), trials[s], links);
            schedules[s] = wirings[s].schedule();
            rules[s] = setup.series().newServer(problem);
        }
        final boolean freeRunning = setup.mode() instanceof FederationMode.FreeRunning;

        final ActorRef<MonitorMessage> monitor = ctx.spawn(FailureReporter.reporting(MonitorMessage.class, trials,
                failures, freeRunning
                ? FreeRunningMonitor.create(trials[0], clients, rounds, problem.optimumSquaredNorm(), setup.outlet(),
                        ctx.getSelf())
                : TrialMonitor.create(trials, clients, rounds, problem.optimumSquaredNorm(),
                        algorithm.stepsWhenNotPolled(), setup.roundTimeout(), setup.outlet(), ctx.getSelf())),
                "monitor");
        final Set<ActorRef<?>> essential = new HashSet<>();
        essential.add(monitor);
        RoundStateWriter.Handle roundState = null;
        ActorRef<RoundStateWriter.Drain> drain = null;
        if (setup.roundStates() != null && !freeRunning) {
            final ActorRef<RoundStateWriter.Command> writer = ctx.spawn(FailureReporter.reporting(
                    RoundStateWriter.Command.class, trials, failures,
                    RoundStateWriter.create(setup.roundStates(), trials)), "round-state", RoundStateWriter.PROPS);
            essential.add(writer);
            roundState = new RoundStateWriter.Handle(writer.narrow(), setup.roundStates()[0].every());
            drain = writer.narrow();
        }
        final ActorRef<ServerMessage> server = ctx.spawn(FailureReporter.reporting(ServerMessage.class, trials, failures,
                NoisyMailbox.uplinks(uploadLength, wirings, freeRunning
                ? FreeRunningServerActor.create(rules[0], clients, uploadLength, setup.roundTimeout(), monitor)
                : ServerActor.create(rules, uploadLength, setup.roundTimeout(), monitor, roundState))), "server");
        essential.add(server);
        SchedulerActor.Settings settings = SchedulerActor.Settings.lockstep(experiment.scheduler(setup.series()),
                schedules, algorithm.startUp(), rounds, clients, setup.roundTimeout());
        if (quorum >= 0) {
            settings = settings.startingWithoutStragglers(quorum);
        }
        if (setup.mode() instanceof FederationMode.FreeRunning f) {
            settings = settings.pacedEvery(f.serverPeriod());
        }
        final ActorRef<SchedulerMessage> scheduler = ctx.spawn(FailureReporter.reporting(SchedulerMessage.class, trials,
                failures, SchedulerActor.create(settings, server, monitor)), "scheduler");
        essential.add(scheduler);
        essential.forEach(ctx::watch);
        return new ServerSide(monitor, server, scheduler, wirings, Set.copyOf(essential), drain);
    }
}
