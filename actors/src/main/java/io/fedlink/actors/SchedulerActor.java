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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The scheduler: each round it selects the clients to poll from those currently registered and
 * reachable (uniform C of K by default, Bernoulli as an option; the rule is core/'s, its draws from
 * the trial's scheduling stream) and paces the rounds: the next plan goes out when the server has
 * closed the previous round. A client that stops is never polled again; one that registers late is
 * polled from the next plan on.
 *
 * <p>Round 0 is the start-up: every registered client, or a scheduled subset when the algorithm
 * starts that way (`rerce`). After the last round it tells every client, and the monitor, that the
 * trial has ended. In free-running mode a timer paces the rounds instead (see {@link FederationMode}).
 */
public final class SchedulerActor extends AbstractBehavior<SchedulerMessage> {

    private record ClientTerminated(int clientId, ActorRef<ClientMessage> client) implements SchedulerMessage.Local {
    }

    private enum QuorumTimeout implements SchedulerMessage.Local {
        INSTANCE
    }

    private enum Pace implements SchedulerMessage.Local {
        INSTANCE
    }

    private final Scheduler rule;
    private final RandomStream schedule;
    private final FederatedAlgorithm.StartUp startUp;
    private final int rounds;
    private final int clientCount;
    private final int quorum;
    private final ActorRef<ServerMessage> server;
    private final ActorRef<MonitorMessage> monitor;
    private final Duration pacing;
    private final Duration quorumTimeout;
    private final TimerScheduler<SchedulerMessage> timers;
    private final TreeMap<Integer, ActorRef<ClientMessage>> registered = new TreeMap<>();
    private final TreeSet<Integer> stopped = new TreeSet<>();
    private int[] available;                  // ascending ids of registered clients; null when stale
    private boolean started;
    private boolean finished;
    private int planned = -1;

    private SchedulerActor(ActorContext<SchedulerMessage> context, TimerScheduler<SchedulerMessage> timers,
                           Scheduler rule, RandomStream schedule, FederatedAlgorithm.StartUp startUp, int rounds,
                           int clientCount, int quorum, Duration quorumTimeout, ActorRef<ServerMessage> server,
                           ActorRef<MonitorMessage> monitor, Duration pacing) {
        super(context);
        this.quorumTimeout = quorumTimeout;
        if (quorumTimeout != null) {
            timers.startSingleTimer(QuorumTimeout.INSTANCE, quorumTimeout);
        }
        this.timers = timers;
        this.pacing = pacing;
        this.rule = rule;
        this.schedule = schedule;
        this.startUp = startUp;
        this.rounds = rounds;
        this.clientCount = clientCount;
        this.quorum = quorum;
        this.server = server;
        this.monitor = monitor;
    }

    /**
     * @param rule     the selection rule from core/
     * @param schedule the trial's scheduling stream (seed, trial, schedule, 0)
     * @param startUp  who uploads in round 0
     * @param rounds   T, the last round planned
     * @param quorum   registrations awaited before round 0 (K in a local simulation); the federation
     *                 has clients 0..quorum-1
     */
    public static Behavior<SchedulerMessage> create(Scheduler rule, RandomStream schedule,
                                                    FederatedAlgorithm.StartUp startUp, int rounds, int quorum,
                                                    ActorRef<ServerMessage> server, ActorRef<MonitorMessage> monitor) {
        return create(rule, schedule, startUp, rounds, quorum, quorum, null, server, monitor, null);
    }

    /**
     * A scheduler that, after the start-up round, plans a round every {@code pacing} instead of waiting
     * for the server to close the previous one (free-running mode); null paces by round closure.
     * After round T it sends one empty plan, which makes the server aggregate round T.
     *
     * @param clientCount K: the federation's clients are 0..K-1; those that never register are absent
     * @param quorum      registrations awaited before round 0
     */
    public static Behavior<SchedulerMessage> create(Scheduler rule, RandomStream schedule,
                                                    FederatedAlgorithm.StartUp startUp, int rounds, int clientCount,
                                                    int quorum, ActorRef<ServerMessage> server,
                                                    ActorRef<MonitorMessage> monitor, Duration pacing) {
        return create(rule, schedule, startUp, rounds, clientCount, quorum, null, server, monitor, pacing);
    }

    /**
     * @param quorumTimeout after this long, round 0 starts with the clients registered so far (the
     *                      others are absent from the trial); null waits for the whole quorum
     */
    public static Behavior<SchedulerMessage> create(Scheduler rule, RandomStream schedule,
                                                    FederatedAlgorithm.StartUp startUp, int rounds, int clientCount,
                                                    int quorum, Duration quorumTimeout, ActorRef<ServerMessage> server,
                                                    ActorRef<MonitorMessage> monitor, Duration pacing) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SchedulerActor(ctx, timers, rule, schedule,
                startUp, rounds, clientCount, quorum, quorumTimeout, server, monitor, pacing)));
    }

    @Override
    public Receive<SchedulerMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(RegisterClient.class, this::onRegisterClient)
                .onMessage(RoundClosed.class, this::onRoundClosed)
                .onMessage(ClientTerminated.class, this::onClientTerminated)
                .onMessageEquals(Pace.INSTANCE, this::onPace)
                .onMessageEquals(QuorumTimeout.INSTANCE, this::onQuorumTimeout)
                .build();
    }

    private Behavior<SchedulerMessage> onRegisterClient(RegisterClient msg) {
        if (finished) {
            getContext().getLog().info("client {} registered after the trial's last round; ignored", msg.clientId());
            return this;
        }
        if (stopped.contains(msg.clientId())) {
            getContext().getLog().warn("client {} registered again after it stopped; ignored", msg.clientId());
            return this;
        }
        final ActorRef<ClientMessage> previous = registered.get(msg.clientId());
        if (previous != null && !previous.equals(msg.client())) {
            // Another actor already is client k in this trial (a node that re-joined before the old one
            // was downed): the first keeps the id; a fresh state could not join a trial half way.
            getContext().getLog().warn("client {} is already registered by another actor; ignored", msg.clientId());
            return this;
        }
        registered.put(msg.clientId(), msg.client());
        available = null;
        if (previous == null) {
            getContext().watchWith(msg.client(), new ClientTerminated(msg.clientId(), msg.client()));
        }
        if (!started && registered.size() >= quorum) {
            start();
        }
        return this;
    }

    private void start() {
        started = true;
        timers.cancel(QuorumTimeout.INSTANCE);
        plan(0);
    }

    /** Not every expected client registered in time: start with those that did; the rest are absent. */
    private Behavior<SchedulerMessage> onQuorumTimeout() {
        if (!started && !registered.isEmpty()) {
            getContext().getLog().warn("{} of {} expected clients registered within {}; starting without the rest",
                    registered.size(), quorum, quorumTimeout);
            start();
        } else if (!started) {
            timers.startSingleTimer(QuorumTimeout.INSTANCE, quorumTimeout);
        }
        return this;
    }

    private Behavior<SchedulerMessage> onRoundClosed(RoundClosed msg) {
        if (pacing != null) {
            if (msg.round() == 0 && planned == 0) {
                timers.startTimerWithFixedDelay(Pace.INSTANCE, pacing);   // no catch-up bursts after a stall
            } else if (msg.round() == rounds) {
                finish();
            }
            return this;
        }
        if (msg.round() != planned) {
            getContext().getLog().warn("round {} closed, but round {} was planned; ignored", msg.round(), planned);
            return this;
        }
        if (planned >= rounds) {
            finish();
            return this;
        }
        plan(planned + 1);
        return this;
    }

    private Behavior<SchedulerMessage> onPace() {
        if (planned < rounds) {
            plan(planned + 1);
        } else {
            timers.cancel(Pace.INSTANCE);
            planned = rounds + 1;
            server.tell(new RoundPlan(planned, new int[0], List.of(), getContext().getSelf()));
        }
        return this;
    }

    private Behavior<SchedulerMessage> onClientTerminated(ClientTerminated msg) {
        if (registered.containsKey(msg.clientId()) && !registered.get(msg.clientId()).equals(msg.client())) {
            return this;                          // an older actor for the id stopped; the registered one lives
        }
        registered.remove(msg.clientId());
        stopped.add(msg.clientId());
        available = null;
        if (finished) {
            // It stopped after the trial's last plan and owes its report: the monitor must not wait for it.
            monitor.tell(new TrialEnded(rounds, new int[] {msg.clientId()}, new int[0]));
        }
        getContext().getLog().info("client {} stopped; it will not be polled again", msg.clientId());
        return this;
    }

    private void plan(int round) {
        if (available == null) {
            available = registered.keySet().stream().mapToInt(Integer::intValue).toArray();
        }
        final int[] polled = round == 0 && startUp == FederatedAlgorithm.StartUp.ALL_CLIENTS
                ? available
                : rule.select(available, schedule);
        final List<ActorRef<ClientMessage>> clients = new ArrayList<>(polled.length);
        for (int k : polled) {
            clients.add(registered.get(k));
        }
        planned = round;
        server.tell(new RoundPlan(round, polled, clients, getContext().getSelf()));
    }

    private void finish() {
        finished = true;
        for (Map.Entry<Integer, ActorRef<ClientMessage>> client : registered.entrySet()) {
            client.getValue().tell(new FinishTrial(rounds));
        }
        final int[] absent = java.util.stream.IntStream.range(0, clientCount)
                .filter(k -> !registered.containsKey(k) && !stopped.contains(k)).toArray();
        monitor.tell(new TrialEnded(rounds, stopped.stream().mapToInt(Integer::intValue).toArray(), absent));
    }
}
