package io.fedlink.cluster;

import io.fedlink.actors.ClientActor;
import io.fedlink.actors.NoisyMailbox;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.ClientData;
import io.fedlink.core.data.ClientStatistics;
import io.fedlink.core.data.DataGenerator;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.TrialWiring;
import io.fedlink.core.link.AdditiveGaussianChannel;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.NodeMessage.EndTrial;
import io.fedlink.protocol.NodeMessage.ExperimentOver;
import io.fedlink.protocol.NodeMessage.StartTrial;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A clients node: hosts clients first..last. It generates only their data, from (seed, client id)
 * as one JVM does, keeps only their constants, and sends the coordinator only their sufficient
 * statistics for the metric. For each trial it spawns the clients fresh, each behind its downlink,
 * and registers them with the trial's scheduler.
 */
public final class ClientsNodeActor extends AbstractBehavior<NodeMessage> {

    private record CoordinatorsChanged(Receptionist.Listing listing) implements NodeMessage.Local {
    }

    private enum ServerGone implements NodeMessage.Local {
        INSTANCE
    }

    private final long seed;
    private final int first;
    private final int last;
    private final ClientConstants[] constants;
    private final ClientStatistics[] statistics;
    private final CompletableFuture<String> finished;
    private final String federation;
    private final java.time.Duration serverGracePeriod;
    private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<NodeMessage> timers;
    private final Set<ActorRef<CoordinatorMessage>> announcedTo = new HashSet<>();
    private final Map<Integer, List<ActorRef<ClientMessage>>> trials = new HashMap<>();
    private final Map<Integer, ActorRef<io.fedlink.protocol.SchedulerMessage.RegisterClient>> schedulers = new HashMap<>();
    private int generation;

    private ClientsNodeActor(ActorContext<NodeMessage> context,
                             org.apache.pekko.actor.typed.javadsl.TimerScheduler<NodeMessage> timers, long seed,
                             int dimension, SampleCounts counts, double rho, int first, int last,
                             CompletableFuture<String> finished, java.time.Duration serverGracePeriod,
                             String federation) {
        super(context);
        this.timers = timers;
        this.serverGracePeriod = serverGracePeriod;
        this.federation = federation;
        this.seed = seed;
        this.first = first;
        this.last = last;
        this.finished = finished;
        this.constants = new ClientConstants[last - first + 1];
        this.statistics = new ClientStatistics[last - first + 1];
        final DataGenerator generator = new DataGenerator(seed, dimension, counts);
        for (int k = first; k <= last; k++) {
            final ClientData data = generator.client(k);          // never leaves this node
            constants[k - first] = ClientConstants.of(data, rho);
            statistics[k - first] = ClientStatistics.of(data);
        }
        final ActorRef<Receptionist.Listing> listings =
                context.messageAdapter(Receptionist.Listing.class, CoordinatorsChanged::new);
        context.getSystem().receptionist().tell(Receptionist.subscribe(ClusterCoordinator.KEY, listings));
    }

    /**
     * @param finished          completed with the coordinator's outcome when the experiment is over
     * @param serverGracePeriod how long to wait for a server that left (it may be restarting from its
     *                          checkpoint) before giving up
     * @param federation        the parameters this node's data come from, for the coordinator to check
     */
    public static Behavior<NodeMessage> create(long seed, int dimension, SampleCounts counts, double rho, int first,
                                               int last, CompletableFuture<String> finished,
                                               java.time.Duration serverGracePeriod, String federation) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ClientsNodeActor(ctx, timers, seed, dimension,
                counts, rho, first, last, finished, serverGracePeriod, federation)));
    }

    @Override
    public Receive<NodeMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(CoordinatorsChanged.class, this::onCoordinatorsChanged)
                .onMessage(StartTrial.class, this::onStartTrial)
                .onMessage(EndTrial.class, this::onEndTrial)
                .onMessage(ExperimentOver.class, this::onExperimentOver)
                .onMessageEquals(ServerGone.INSTANCE, this::onServerGone)
                .build();
    }

    private Behavior<NodeMessage> onCoordinatorsChanged(CoordinatorsChanged changed) {
        final Set<ActorRef<CoordinatorMessage>> coordinators = changed.listing().getServiceInstances(ClusterCoordinator.KEY);
        if (coordinators.isEmpty() && !announcedTo.isEmpty()) {
            // The server node left without a word: it may be restarting from its checkpoint.
            timers.startSingleTimer(ServerGone.INSTANCE, serverGracePeriod);
            return this;
        }
        timers.cancel(ServerGone.INSTANCE);
        for (ActorRef<CoordinatorMessage> coordinator : coordinators) {
            if (announcedTo.add(coordinator)) {
                for (ClientStatistics s : statistics) {
                    coordinator.tell(new CoordinatorMessage.ClientStatisticsReport(s.clientId(), s.gram(), s.moment(),
                            s.weight()));
                }
                coordinator.tell(new CoordinatorMessage.ClientNodeReady(first, last, federation, getContext().getSelf()));
            }
        }
        return this;
    }

    private Behavior<NodeMessage> onStartTrial(StartTrial start) {
        if (trials.containsKey(start.trialKey())) {
            if (start.scheduler().equals(schedulers.get(start.trialKey()))) {
                return this;                                   // told twice
            }
            onEndTrial(new EndTrial(start.trialKey()));        // the same trial, rerun by a restarted server
        }
        final FederatedAlgorithm algorithm;
        try {
            algorithm = FederatedAlgorithm.byId(start.algorithm());
        } catch (IllegalArgumentException e) {
            getContext().getLog().warn("trial {}: {}; ignored", start.trialKey(), e.getMessage());
            return this;
        }
        if (start.optimum().length != constants[0].dimension()) {
            getContext().getLog().warn("trial {}: w* of length {}, but this node's clients have L = {}; ignored",
                    start.trialKey(), start.optimum().length, constants[0].dimension());
            return this;
        }
        if (!(start.downlinkVariance() >= 0.0) || Double.isInfinite(start.downlinkVariance())) {
            getContext().getLog().warn("trial {}: downlink variance {} is not a finite number >= 0; ignored",
                    start.trialKey(), start.downlinkVariance());
            return this;
        }
        final AdditiveGaussianChannel downlink = new AdditiveGaussianChannel(start.downlinkVariance());
        final List<ActorRef<ClientMessage>> spawned = new ArrayList<>();
        for (int k = first; k <= last; k++) {
            final int clientId = k;
            final ActorRef<ClientMessage> client = getContext().spawn(NoisyMailbox.downlink(ClientMessage.class,
                    start.optimum().length, () -> TrialWiring.downlink(seed, start.trial(), clientId, downlink),
                    ClientActor.create(algorithm.newClient(constants[k - first]), start.optimum(), start.monitor(),
                            algorithm.stepsWhenNotPolled())),
                    "trial-" + start.trialKey() + "-" + generation + "-client-" + k);
            spawned.add(client);
            start.scheduler().tell(new RegisterClient(k, client));
        }
        generation++;
        trials.put(start.trialKey(), spawned);
        schedulers.put(start.trialKey(), start.scheduler());
        // The scheduler is not death-watched. A server restarted on the same host and port reruns its
        // interrupted trials (same key: this method replaces them), and Pekko signals the removal of
        // the dead incarnation by address alone: a watch would then "terminate" the new incarnation's
        // schedulers and stop the rerun's clients mid-round (seen in ClusterTest under load). A
        // trial's clients go with EndTrial, with a rerun of the same trial, or with the node itself
        // (ExperimentOver, or the server gone for longer than the grace period).
        return this;
    }

    private Behavior<NodeMessage> onEndTrial(EndTrial end) {
        schedulers.remove(end.trialKey());
        final List<ActorRef<ClientMessage>> clients = trials.remove(end.trialKey());
        if (clients != null) {
            clients.forEach(getContext()::stop);
        }
        return this;
    }

    private Behavior<NodeMessage> onServerGone() {
        finished.complete("the server node left the cluster and did not come back within " + serverGracePeriod);
        return this;
    }

    private Behavior<NodeMessage> onExperimentOver(ExperimentOver over) {
        finished.complete(over.outcome());
        return this;
    }
}
