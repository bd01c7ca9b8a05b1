package io.fedlink.actors;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.schedule.Scheduler;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.FinishTrial;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.TrialEnded;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.RoundPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The scheduler: each round it selects, in every trial of its federation's block (one trial on a cluster),
 * the clients to poll from those currently registered and reachable (uniform C of K by default, Bernoulli
 * as an option; the rule is core/'s, each trial's draws from that trial's scheduling stream) and paces the
 * rounds: the next plan goes out when the server has
 * closed the previous round. A client that stops is never polled again; one that registers late is
 * polled from the next plan on.
 *
 * <p>Round 0 is the start-up: every registered client, or a scheduled subset when the algorithm
 * starts that way (`rerce`). After the last round it tells every client, and the monitor, that the
 * trial has ended. In free-running mode a timer paces the rounds instead (see {@link FederationMode}).
 *
 * <p>A round closes only through the reference the scheduler hands its server in each plan: a
 * {@link RoundClosed} sent to the scheduler's own reference (which clients hold, to register) is
 * refused, so no peer can skip a round or stall the trial by closing one early.
 */
public final class SchedulerActor extends AbstractBehavior<SchedulerMessage> {

    /**
     * What a scheduler is given.
     *
     * @param rule          the selection rule from core/
     * @param schedules     each slot's (trial's) scheduling stream (seed, trial, schedule, 0): one per trial of
     *                      the block, each drawn from for that trial only, in round order
     * @param startUp       who uploads in round 0
     * @param rounds        T, the last round planned
     * @param clientCount   K: the federation's clients are 0..K-1; those that never register are absent
     * @param quorum        registrations awaited before round 0
     * @param quorumTimeout how long round 0 waits for the quorum
     * @param shortfall     what happens when the quorum is not reached in time
     * @param pacing        free-running mode: plan a round every {@code pacing} instead of at each
     *                      closure (null: lockstep); after round T one empty plan makes the server
     *                      aggregate round T
     */
    public record Settings(Scheduler rule, RandomStream[] schedules, FederatedAlgorithm.StartUp startUp, int rounds,
                           int clientCount, int quorum, Duration quorumTimeout, QuorumShortfall shortfall,
                           Duration pacing) {

        public Settings {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(schedules, "schedules");
            if (schedules.length == 0) {
                throw new IllegalArgumentException("a scheduler needs the stream of at least one trial");
            }
            Objects.requireNonNull(startUp, "startUp");
            Objects.requireNonNull(quorumTimeout, "quorumTimeout");
            Objects.requireNonNull(shortfall, "shortfall");
            if (rounds < 0 || quorum < 0 || quorum > clientCount) {
                throw new IllegalArgumentException("rounds " + rounds + ", quorum " + quorum + " of " + clientCount
                        + " clients");
            }
        }

        /**
         * A lockstep scheduler of a federation of one trial whose K clients all register before round 0,
         * within {@code quorumTimeout} (else the trial fails: in one JVM a client that never registers is a fault).
         */
        public static Settings lockstep(Scheduler rule, RandomStream schedule, FederatedAlgorithm.StartUp startUp,
                                        int rounds, int clientCount, Duration quorumTimeout) {
            return lockstep(rule, new RandomStream[] {schedule}, startUp, rounds, clientCount, quorumTimeout);
        }

        /** The same for a block of trials, one scheduling stream per slot. */
        public static Settings lockstep(Scheduler rule, RandomStream[] schedules, FederatedAlgorithm.StartUp startUp,
                                        int rounds, int clientCount, Duration quorumTimeout) {
            return new Settings(rule, schedules.clone(), startUp, rounds, clientCount, clientCount, quorumTimeout,
                    QuorumShortfall.FAIL, null);
        }

        /** The same, starting round 0 with those registered after the timeout (a cluster: the rest are absent). */
        public Settings startingWithoutStragglers(int quorum) {
            return new Settings(rule, schedules, startUp, rounds, clientCount, quorum, quorumTimeout,
                    QuorumShortfall.START_WITH_REGISTERED, pacing);
        }

        /** The same, planning a round every {@code period} (free-running mode). */
        public Settings pacedEvery(Duration period) {
            return new Settings(rule, schedules, startUp, rounds, clientCount, quorum, quorumTimeout, shortfall,
                    Objects.requireNonNull(period, "period"));
        }
    }

    /** What round 0 does when fewer than the quorum registered in time. */
    public enum QuorumShortfall {
        /** Start with the clients that registered; the others are absent from the trial. */
        START_WITH_REGISTERED,
        /** Fail the trial, naming how many registered. */
        FAIL
    }

    /**
     * The clients a one-JVM trial spawned itself, client k at index k, registered in one message and not
     * watched. Each runs under a {@link FailureReporter}, which fails the trial the moment the client fails,
     * and none stops otherwise before the trial ends: a watch would tell the scheduler nothing, and at a
     * million clients the watches cost a fifth of the set-up (docs/performance.md). Clients of a clients
     * node register one by one ({@link RegisterClient}) and are watched: their node can be lost.
     */
    record LocalClients(List<ActorRef<ClientMessage>> clients) implements SchedulerMessage.Local {
    }

    private record ClientTerminated(int clientId, ActorRef<ClientMessage> client) implements SchedulerMessage.Local {
    }

    /** A closure that came through the reference only this trial's server holds. */
    private record ServerClosedRound(RoundClosed closed) implements SchedulerMessage.Local {
    }

    private enum QuorumTimeout implements SchedulerMessage.Local {
        INSTANCE
    }

    private enum Pace implements SchedulerMessage.Local {
        INSTANCE
    }

    private final Settings settings;
    private final ActorRef<ServerMessage> server;
    private final ActorRef<MonitorMessage> monitor;
    private final TimerScheduler<SchedulerMessage> timers;
    /** Handed to the server in every plan, and to no one else: the only way a round closes. */
    private final ActorRef<RoundClosed> closures;
    /** Each client's registered actor by id, null if none; an array, not a map: a million clients register. */
    private final ActorRef<ClientMessage>[] registered;
    private int registeredCount;
    private final BitSet stopped = new BitSet();
    private int[] available;                  // ascending ids of registered clients; null when stale
    private boolean started;
    private boolean finished;
    private int planned = -1;

    private SchedulerActor(ActorContext<SchedulerMessage> context, TimerScheduler<SchedulerMessage> timers,
                           Settings settings, ActorRef<ServerMessage> server, ActorRef<MonitorMessage> monitor) {
        super(context);
        this.timers = timers;
        this.settings = settings;
        this.server = server;
        this.monitor = monitor;
        this.closures = context.messageAdapter(RoundClosed.class, ServerClosedRound::new);
        @SuppressWarnings("unchecked")
        final ActorRef<ClientMessage>[] none = new ActorRef[settings.clientCount()];
        this.registered = none;
        timers.startSingleTimer(QuorumTimeout.INSTANCE, settings.quorumTimeout());
    }

    /**
     * @param server  the trial's server: where plans go
     * @param monitor the trial's monitor: told when the trial has ended
     */
    public static Behavior<SchedulerMessage> create(Settings settings, ActorRef<ServerMessage> server,
                                                    ActorRef<MonitorMessage> monitor) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new SchedulerActor(ctx, timers, settings, server, monitor)));
    }

    @Override
    public Receive<SchedulerMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(RegisterClient.class, this::onRegisterClient)
                .onMessage(LocalClients.class, this::onLocalClients)
                .onMessage(ServerClosedRound.class, closure -> onRoundClosed(closure.closed()))
                .onMessage(RoundClosed.class, this::onForeignRoundClosed)
                .onMessage(ClientTerminated.class, this::onClientTerminated)
                .onMessageEquals(Pace.INSTANCE, this::onPace)
                .onMessageEquals(QuorumTimeout.INSTANCE, this::onQuorumTimeout)
                .build();
    }

    private Behavior<SchedulerMessage> onRegisterClient(RegisterClient msg) {
        register(msg.clientId(), msg.client(), true);
        return Behaviors.same();
    }

    private Behavior<SchedulerMessage> onLocalClients(LocalClients msg) {
        for (int k = 0; k < msg.clients().size(); k++) {
            register(k, msg.clients().get(k), false);
        }
        return Behaviors.same();
    }

    private void register(int k, ActorRef<ClientMessage> client, boolean watch) {
        if (k < 0 || k >= settings.clientCount() || client == null) {
            getContext().getLog().warn("a registration for client {} refused: the federation has clients 0..{}", k,
                    settings.clientCount() - 1);
            return;
        }
        if (finished) {
            getContext().getLog().info("client {} registered after the trial's last round; ignored", k);
            return;
        }
        if (stopped.get(k)) {
            getContext().getLog().warn("client {} registered again after it stopped; ignored", k);
            return;
        }
        final ActorRef<ClientMessage> previous = registered[k];
        if (previous != null && !previous.equals(client)) {
            // Another actor already is client k in this trial (a node that re-joined before the old one
            // was downed): the first keeps the id; a fresh state could not join a trial half way.
            getContext().getLog().warn("client {} is already registered by another actor; ignored", k);
            return;
        }
        registered[k] = client;
        available = null;
        if (previous == null) {
            registeredCount++;
            if (watch) {
                getContext().watchWith(client, new ClientTerminated(k, client));
            }
        }
        if (!started && registeredCount >= settings.quorum()) {
            start();
        }
    }

    private void start() {
        started = true;
        timers.cancel(QuorumTimeout.INSTANCE);
        plan(0);
    }

    /** Not every expected client registered in time: start with those that did, or fail the trial. */
    private Behavior<SchedulerMessage> onQuorumTimeout() {
        if (started) {
            return Behaviors.same();
        }
        final String shortfall = registeredCount + " of " + settings.quorum() + " expected clients registered within "
                + settings.quorumTimeout();
        if (settings.shortfall() == QuorumShortfall.FAIL) {
            throw new IllegalStateException(shortfall);
        }
        if (registeredCount == 0) {
            timers.startSingleTimer(QuorumTimeout.INSTANCE, settings.quorumTimeout());
            return Behaviors.same();
        }
        getContext().getLog().warn("{}; starting without the rest", shortfall);
        start();
        return Behaviors.same();
    }

    /** A RoundClosed sent to the scheduler's own reference did not come from this trial's server. */
    private Behavior<SchedulerMessage> onForeignRoundClosed(RoundClosed msg) {
        getContext().getLog().warn("a RoundClosed({}) that did not come from this trial's server; ignored", msg.round());
        return Behaviors.same();
    }

    private Behavior<SchedulerMessage> onRoundClosed(RoundClosed msg) {
        if (settings.pacing() != null) {
            if (msg.round() == 0 && planned == 0) {
                // Fixed delay, not fixed rate: no catch-up bursts after a stall.
                timers.startTimerWithFixedDelay(Pace.INSTANCE, settings.pacing());
            } else if (msg.round() == settings.rounds()) {
                finish();
            }
            return Behaviors.same();
        }
        if (msg.round() != planned) {
            getContext().getLog().warn("round {} closed, but round {} was planned; ignored", msg.round(), planned);
            return Behaviors.same();
        }
        if (planned >= settings.rounds()) {
            finish();
            return Behaviors.same();
        }
        plan(planned + 1);
        return Behaviors.same();
    }

    private Behavior<SchedulerMessage> onPace() {
        if (planned < settings.rounds()) {
            plan(planned + 1);
        } else {
            timers.cancel(Pace.INSTANCE);
            planned = settings.rounds() + 1;
            server.tell(new RoundPlan(planned, new int[0], List.of(), new int[settings.schedules().length][0], closures));
        }
        return Behaviors.same();
    }

    private Behavior<SchedulerMessage> onClientTerminated(ClientTerminated msg) {
        final int k = msg.clientId();
        if (registered[k] != null) {
            if (!registered[k].equals(msg.client())) {
                return Behaviors.same();         // an older actor for the id stopped; the registered one lives
            }
            registered[k] = null;
            registeredCount--;
        }
        stopped.set(k);
        server.tell(new ClientStopped(msg.clientId()));         // the server watches no client itself
        available = null;
        if (finished) {
            // It stopped after the trial's last plan and owes its report: the monitor must not wait for it.
            monitor.tell(new TrialEnded(settings.rounds(), new int[] {msg.clientId()}, new int[0]));
        }
        getContext().getLog().info("client {} stopped; it will not be polled again", msg.clientId());
        return Behaviors.same();
    }

    private void plan(int round) {
        if (available == null) {
            available = IntStream.range(0, registered.length).filter(k -> registered[k] != null).toArray();
        }
        final RandomStream[] schedules = settings.schedules();
        final int[][] polled = new int[schedules.length][];
        final BitSet union = new BitSet();
        for (int s = 0; s < schedules.length; s++) {
            polled[s] = round == 0
                    ? settings.startUp().participants(available, settings.rule(), schedules[s])
                    : settings.rule().select(available, schedules[s]);
            for (int k : polled[s]) {
                union.set(k);
            }
        }
        final int[] ids = schedules.length == 1 ? polled[0] : union.stream().toArray();
        final List<ActorRef<ClientMessage>> clients = new ArrayList<>(ids.length);
        for (int k : ids) {
            clients.add(registered[k]);
        }
        planned = round;
        server.tell(new RoundPlan(round, ids, clients, polled, closures));
    }

    private void finish() {
        finished = true;
        for (ActorRef<ClientMessage> client : registered) {
            if (client != null) {
                client.tell(new FinishTrial(settings.rounds()));
            }
        }
        final int[] absent = IntStream.range(0, settings.clientCount())
                .filter(k -> registered[k] == null && !stopped.get(k)).toArray();
        monitor.tell(new TrialEnded(settings.rounds(), stopped.stream().toArray(), absent));
    }
}
