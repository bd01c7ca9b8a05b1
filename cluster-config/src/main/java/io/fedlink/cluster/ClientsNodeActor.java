package io.fedlink.cluster;

import io.fedlink.actors.ClientActor;
import io.fedlink.actors.NoisyMailbox;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.ClientStatistics;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.TrialWiring;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.link.LinkNoise;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.CoordinatorMessage.ClientNodeReady;
import io.fedlink.protocol.CoordinatorMessage.ClientStatisticsReport;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.NodeMessage.EndTrial;
import io.fedlink.protocol.NodeMessage.ExperimentOver;
import io.fedlink.protocol.NodeMessage.SendStatistics;
import io.fedlink.protocol.NodeMessage.StartTrial;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A clients node: hosts clients first..last. Its data (generated from (seed, client id) as in one JVM,
 * on a blocking dispatcher, once per node process) never leave it; only the clients' sufficient
 * statistics go to the coordinator, to the intake the coordinator gives it.
 *
 * <p>It announces itself to each coordinator it finds with a {@link NodeSession} made for that
 * coordinator alone, and obeys only instructions that come through a session: whoever does not hold
 * one cannot start, end or rerun anything here. For each valid {@link StartTrial} it spawns its own
 * range of clients, fresh, each behind its downlink, registers them with the trial's scheduler, and
 * watches them: a client that fails is logged and left to the trial's death watch, the node goes on.
 * A session starts a trial once; a new coordinator (a restarted server) gets a new session and may
 * rerun a trial, which replaces the earlier run's clients.
 */
public final class ClientsNodeActor extends AbstractBehavior<NodeMessage> {

    /** Makes the behavior of client k for a trial: the client actor (tests may make another). */
    @FunctionalInterface
    interface ClientFactory {
        Behavior<ClientMessage> client(SeriesSpec series, ClientConstants constants, StartTrial start);
    }

    /** The client actors of any algorithm: its rule with the series' settings, its vectors' lengths. */
    static final ClientFactory CLIENT_ACTORS = (series, constants, start) -> ClientActor.create(
            series.newClient(constants), start.optimum(), start.monitor(), series.algorithm().stepsWhenNotPolled(),
            series.uploadLength(constants.dimension()), series.broadcastLength(constants.dimension()));

    /**
     * What a clients node is given.
     *
     * @param experiment the experiment's flags, as every node is given them
     * @param federation what its data come from (ClusterNode.federation), for the coordinator to check
     * @param grace      how long to wait for a server node that left (it may be restarting from its
     *                   checkpoint) before giving up
     * @param rejoining  whether this is a new incarnation of a node that was removed from the cluster:
     *                   then it gives up, too, if it finds no server within the grace period
     */
    record Settings(Experiment experiment, int first, int last, String federation, Duration grace,
                    boolean rejoining) {
    }

    private record DataReady(ClientsNodeData data, Throwable failure) implements NodeMessage.Local {
    }

    private record CoordinatorsChanged(Receptionist.Listing listing) implements NodeMessage.Local {
    }

    private enum ServerGone implements NodeMessage.Local {
        INSTANCE
    }

    /** One trial's clients here, and the session whose coordinator started it. */
    private record RunningTrial(ActorRef<NodeMessage> session, List<ActorRef<ClientMessage>> clients) {
    }

    /** What a client actor is, for the log if it fails. */
    private record ClientOf(int trialKey, int trial, int clientId) {
    }

    private final Settings settings;
    private final CompletableFuture<String> finished;
    private final ClientFactory clientFactory;
    private final TimerScheduler<NodeMessage> timers;
    private ClientsNodeData data;
    private Set<ActorRef<CoordinatorMessage>> listed = Set.of();
    private boolean serverSeen;
    private final Map<ActorRef<CoordinatorMessage>, ActorRef<NodeMessage>> sessions = new HashMap<>();
    private final Map<ActorRef<NodeMessage>, Set<Integer>> startedBy = new HashMap<>();
    private final Set<ActorRef<NodeMessage>> statisticsSent = new HashSet<>();
    private final Map<Integer, RunningTrial> trials = new HashMap<>();
    private final Map<ActorRef<ClientMessage>, ClientOf> clients = new HashMap<>();
    private final Map<Integer, LinkNoise> seriesLinks = new HashMap<>();

    private ClientsNodeActor(ActorContext<NodeMessage> context, TimerScheduler<NodeMessage> timers, Settings settings,
                             Function<Executor, CompletionStage<ClientsNodeData>> data,
                             CompletableFuture<String> finished, ClientFactory clientFactory) {
        super(context);
        this.timers = timers;
        this.settings = settings;
        this.finished = finished;
        this.clientFactory = clientFactory;
        this.serverSeen = settings.rejoining();
        if (settings.rejoining()) {
            timers.startSingleTimer(ServerGone.INSTANCE, settings.grace());
        }
        final Executor blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        context.pipeToSelf(data.apply(blocking), DataReady::new);
        final ActorRef<Receptionist.Listing> listings =
                context.messageAdapter(Receptionist.Listing.class, CoordinatorsChanged::new);
        context.getSystem().receptionist().tell(Receptionist.subscribe(ClusterCoordinator.KEY, listings));
    }

    /**
     * @param data     the node's data: generated on the given (blocking) executor the first time,
     *                 the same afterwards (a node that rejoins keeps the data it has)
     * @param finished completed with the coordinator's outcome when the experiment is over, or with
     *                 why the node gave up
     */
    static Behavior<NodeMessage> create(Settings settings, Function<Executor, CompletionStage<ClientsNodeData>> data,
                                        CompletableFuture<String> finished) {
        return create(settings, data, finished, CLIENT_ACTORS);
    }

    static Behavior<NodeMessage> create(Settings settings, Function<Executor, CompletionStage<ClientsNodeData>> data,
                                        CompletableFuture<String> finished, ClientFactory clientFactory) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new ClientsNodeActor(ctx, timers, settings, data, finished, clientFactory)));
    }

    @Override
    public Receive<NodeMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(DataReady.class, this::onDataReady)
                .onMessage(CoordinatorsChanged.class, this::onCoordinatorsChanged)
                .onMessage(NodeSession.Instruction.class, this::onInstruction)
                .onMessageEquals(ServerGone.INSTANCE, this::onServerGone)
                .onMessage(NodeMessage.class, this::onUnsolicited)
                .onSignal(ChildFailed.class, this::onChildFailed)
                .onSignal(Terminated.class, this::onChildStopped)
                .build();
    }

    private Behavior<NodeMessage> onDataReady(DataReady ready) {
        if (ready.failure() != null) {
            getContext().getLog().error("clients {}..{}: their data could not be generated", settings.first(),
                    settings.last(), ready.failure());
            finished.completeExceptionally(ready.failure());
            return Behaviors.stopped();
        }
        data = ready.data();
        return announce();
    }

    private Behavior<NodeMessage> onCoordinatorsChanged(CoordinatorsChanged changed) {
        listed = changed.listing().getServiceInstances(ClusterCoordinator.KEY);
        getContext().getLog().debug("coordinators listed: {} (of {})", listed,
                changed.listing().getAllServiceInstances(ClusterCoordinator.KEY));
        return data == null ? this : announce();
    }

    /** Announces this node to each coordinator listed, through a session made for it. */
    private Behavior<NodeMessage> announce() {
        if (listed.isEmpty()) {
            if (serverSeen && !timers.isTimerActive(ServerGone.INSTANCE)) {
                // The server node left without a word, or cannot be reached: it may be restarting.
                timers.startSingleTimer(ServerGone.INSTANCE, settings.grace());
            }
            return this;
        }
        serverSeen = true;
        timers.cancel(ServerGone.INSTANCE);
        // A coordinator no longer listed while another is has been replaced (a restarted server): its
        // session, and the trials it started here, are over.
        for (ActorRef<CoordinatorMessage> coordinator : new ArrayList<>(sessions.keySet())) {
            if (!listed.contains(coordinator)) {
                endSession(coordinator);
            }
        }
        for (ActorRef<CoordinatorMessage> coordinator : listed) {
            if (!sessions.containsKey(coordinator)) {
                final ActorRef<NodeMessage> session = getContext().spawn(NodeSession.create(getContext().getSelf()),
                        Unguessable.name("session"));
                getContext().watch(session);
                sessions.put(coordinator, session);
                startedBy.put(session, new HashSet<>());
                getContext().getLog().info("announcing clients {}..{} to the coordinator {}", settings.first(),
                        settings.last(), coordinator.path());
                coordinator.tell(new ClientNodeReady(settings.first(), settings.last(), settings.federation(), session));
            }
        }
        return this;
    }

    private void endSession(ActorRef<CoordinatorMessage> coordinator) {
        final ActorRef<NodeMessage> session = sessions.remove(coordinator);
        startedBy.remove(session);
        statisticsSent.remove(session);
        for (Integer key : new ArrayList<>(trials.keySet())) {
            if (trials.get(key).session().equals(session)) {
                endTrial(key);
            }
        }
        getContext().unwatch(session);
        getContext().stop(session);
    }

    private Behavior<NodeMessage> onInstruction(NodeSession.Instruction instruction) {
        final ActorRef<NodeMessage> session = instruction.session();
        if (!sessions.containsValue(session)) {
            getContext().getLog().debug("a {} from an ended session; ignored",
                    instruction.message().getClass().getSimpleName());
            return this;
        }
        final NodeMessage message = instruction.message();
        if (message instanceof StartTrial start) {
            return onStartTrial(session, start);
        } else if (message instanceof EndTrial end) {
            return onEndTrial(session, end);
        } else if (message instanceof SendStatistics send) {
            return onSendStatistics(session, send);
        } else if (message instanceof ExperimentOver over) {
            finished.complete(over.outcome());
            return this;
        }
        getContext().getLog().warn("a {} is not an instruction for a clients node; ignored",
                message.getClass().getSimpleName());
        return this;
    }

    /** An instruction sent to the node itself, not through a session: no coordinator sent it. */
    private Behavior<NodeMessage> onUnsolicited(NodeMessage message) {
        getContext().getLog().warn("a {} sent to the node itself, not through a coordinator's session; ignored",
                message.getClass().getSimpleName());
        return this;
    }

    private Behavior<NodeMessage> onSendStatistics(ActorRef<NodeMessage> session, SendStatistics send) {
        if (send.intake() == null || !statisticsSent.add(session)) {
            return this;
        }
        for (ClientStatistics s : data.statistics()) {
            send.intake().tell(new ClientStatisticsReport(s.clientId(), s.gram(), s.moment(), s.weight()));
        }
        getContext().getLog().info("statistics of clients {}..{} sent to the coordinator's intake", settings.first(),
                settings.last());
        return this;
    }

    private Behavior<NodeMessage> onStartTrial(ActorRef<NodeMessage> session, StartTrial start) {
        final String problem = problemWith(start);
        if (problem != null) {
            getContext().getLog().warn("a StartTrial refused: {}", problem);
            return this;
        }
        final int key = start.trialKey();
        final RunningTrial running = trials.get(key);
        if (!startedBy.get(session).add(key)) {
            if (running == null || !running.session().equals(session)) {
                getContext().getLog().warn("trial {} (key {}) has already run here for this coordinator; refused",
                        start.trial(), key);
            }
            return this;                                       // or told twice while it runs
        }
        if (running != null) {
            endTrial(key);                                     // rerun by a restarted server: it replaces the old run
        }
        final SeriesSpec series = settings.experiment().series().get(key / settings.experiment().trials());
        final LinkNoise links = linksOf(key / settings.experiment().trials());
        final long seed = settings.experiment().seed();
        final List<ActorRef<ClientMessage>> spawned = new ArrayList<>();
        for (int k = settings.first(); k <= settings.last(); k++) {
            final int clientId = k;
            final ActorRef<ClientMessage> client = getContext().spawn(NoisyMailbox.downlink(ClientMessage.class,
                    series.broadcastLength(start.optimum().length), () -> TrialWiring.downlink(seed, start.trial(),
                            clientId, links.downlink(clientId)),
                    clientFactory.client(series, data.constants()[k - settings.first()], start)),
                    Unguessable.name("trial-" + key + "-client-" + k));
            getContext().watch(client);
            clients.put(client, new ClientOf(key, start.trial(), k));
            spawned.add(client);
            start.scheduler().tell(new RegisterClient(k, client));
        }
        trials.put(key, new RunningTrial(session, spawned));
        // The scheduler is not death-watched. A server restarted on the same host and port reruns its
        // interrupted trials (a new coordinator: a new session, and this method replaces them), and
        // Pekko signals the removal of the dead incarnation by address alone: a watch would then
        // "terminate" the new incarnation's schedulers and stop the rerun's clients mid-round. A trial's
        // clients go with EndTrial, with a rerun of the same trial, with the end of the session that
        // started them, or with the node itself.
        return this;
    }

    /**
     * Every client's links in one series, as the series' channels and link budget give them (a
     * path-loss budget draws the clients' places once per series, as in one JVM).
     */
    private LinkNoise linksOf(int seriesIndex) {
        return seriesLinks.computeIfAbsent(seriesIndex, i -> TrialWiring.links(settings.experiment(),
                settings.experiment().series().get(i)));
    }

    /** Why a StartTrial cannot be obeyed, or null. */
    private String problemWith(StartTrial start) {
        final Experiment experiment = settings.experiment();
        final int keys = experiment.series().size() * experiment.trials();
        if (start.trialKey() < 0 || start.trialKey() >= keys) {
            return "trial key " + start.trialKey() + " is outside 0.." + (keys - 1) + " (" + experiment.series().size()
                    + " series x " + experiment.trials() + " trials)";
        }
        if (start.trial() < 0 || start.trial() >= experiment.trials()
                || start.trial() != start.trialKey() % experiment.trials()) {
            return "trial " + start.trial() + " is not the trial of key " + start.trialKey() + " (trials 0.."
                    + (experiment.trials() - 1) + ")";
        }
        try {
            FederatedAlgorithm.byId(String.valueOf(start.algorithm()));
        } catch (IllegalArgumentException e) {
            return "trial " + start.trial() + ": " + e.getMessage();
        }
        final double[] optimum = start.optimum();
        if (optimum == null || optimum.length != experiment.dimension()) {
            return "trial " + start.trial() + ": w* of length " + (optimum == null ? "none" : optimum.length)
                    + ", but this node's clients have L = " + experiment.dimension();
        }
        for (double v : optimum) {
            if (!Double.isFinite(v)) {
                return "trial " + start.trial() + ": w* holds a non-finite number (" + v + ")";
            }
        }
        if (!(start.downlinkVariance() >= 0.0) || Double.isInfinite(start.downlinkVariance())) {
            return "trial " + start.trial() + ": downlink variance " + start.downlinkVariance()
                    + " is not a finite number >= 0";
        }
        // The channels and the link budget are this node's own (its flags, checked against the
        // server's when it joined); the server names the series, and it must be the one the key gives.
        final SeriesSpec series = experiment.series().get(start.trialKey() / experiment.trials());
        if (!series.algorithm().id().equals(start.algorithm())
                || Double.compare(series.downlinkVariance(), start.downlinkVariance()) != 0) {
            return "trial key " + start.trialKey() + " asks for " + start.algorithm() + " with downlink variance "
                    + start.downlinkVariance() + ", but series " + start.trialKey() / experiment.trials()
                    + " of this node's experiment is " + series.label();
        }
        if (start.scheduler() == null || start.monitor() == null) {
            return "trial " + start.trial() + ": no scheduler or monitor to report to";
        }
        return null;
    }

    private Behavior<NodeMessage> onEndTrial(ActorRef<NodeMessage> session, EndTrial end) {
        final RunningTrial running = trials.get(end.trialKey());
        if (running != null && running.session().equals(session)) {
            endTrial(end.trialKey());
        }
        return this;
    }

    private void endTrial(int key) {
        final RunningTrial running = trials.remove(key);
        for (ActorRef<ClientMessage> client : running.clients()) {
            if (clients.remove(client) != null) {
                getContext().unwatch(client);
                getContext().stop(client);
            }
        }
    }

    private Behavior<NodeMessage> onChildFailed(ChildFailed failed) {
        final ClientOf client = clients.remove(failed.getRef());
        if (client != null) {
            getContext().getLog().error("client {} of trial {} failed: {}; the trial goes on without it, and so "
                    + "does this node", client.clientId(), client.trial(), String.valueOf(failed.getCause()),
                    failed.getCause());
            return this;
        }
        return onChildStopped(failed);
    }

    private Behavior<NodeMessage> onChildStopped(Terminated stopped) {
        if (clients.remove(stopped.getRef()) != null) {
            return this;
        }
        // A session stopped on its own: announce again, with a new one, to whoever is still listed.
        sessions.values().removeIf(stopped.getRef()::equals);
        return data == null ? this : announce();
    }

    private Behavior<NodeMessage> onServerGone() {
        finished.complete("the server node left the cluster and did not come back within " + settings.grace());
        return this;
    }
}
