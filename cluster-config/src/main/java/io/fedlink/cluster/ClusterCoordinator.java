package io.fedlink.cluster;

import io.fedlink.core.data.ClientStatistics;
import io.fedlink.core.data.OptimumAccumulator;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.CoordinatorMessage.ClientNodeReady;
import io.fedlink.protocol.CoordinatorMessage.ClientStatisticsReport;
import io.fedlink.protocol.NodeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The coordinator on the server node, a cluster singleton: clients nodes find it through the
 * Receptionist and announce themselves. A node whose data come from other parameters is refused; any
 * other gets an intake of its own ({@link StatisticsIntake}) for its clients' statistics, and once
 * they have all arrived it joins the {@link NodeDirectory} (and so hears of the running trials). The
 * first statistics accepted for a client stand: a later node whose statistics for it differ is
 * refused. Once every client 0..K-1 is accounted for, the coordinator computes w* (summing in id
 * order, as one JVM does) and lets the experiment start.
 *
 * <p>A node that stops leaves the directory. If none is left for the server grace period, the
 * experiment is abandoned: the coordinator says why and stops the server's actor system.
 */
public final class ClusterCoordinator extends AbstractBehavior<CoordinatorMessage> {

    /** Where clients nodes find the coordinator. */
    public static final ServiceKey<CoordinatorMessage> KEY =
            ServiceKey.create(CoordinatorMessage.class, "fedlink-coordinator");

    /** An intake holds the whole range of its node's statistics, each checked. */
    record NodeStatistics(ActorRef<NodeMessage> node, NodeDirectory.Range range, ClientStatistics[] statistics)
            implements CoordinatorMessage.Local {
    }

    /** An intake found that its node cannot be a member of the federation. */
    record NodeRefused(ActorRef<NodeMessage> node, String reason) implements CoordinatorMessage.Local {
    }

    private record NodeStopped(ActorRef<NodeMessage> node) implements CoordinatorMessage.Local {
    }

    private enum GraceOver implements CoordinatorMessage.Local {
        INSTANCE
    }

    /**
     * What the coordinator is given.
     *
     * @param federation  the parameters every clients node's data must come from (see ClusterNode.federation)
     * @param optimum     completed with w* once every client's statistics are in (exceptionally if
     *                    they do not determine it)
     * @param grace       how long the server runs with no clients node before it gives up
     * @param abandoned   completed with the reason when it gives up
     */
    record Settings(int clients, int dimension, String federation, NodeDirectory directory,
                    CompletableFuture<double[]> optimum, Duration grace, CompletableFuture<String> abandoned) {
    }

    private final Settings settings;
    private final TimerScheduler<CoordinatorMessage> timers;
    private final ClientStatistics[] statistics;
    private final Map<ActorRef<NodeMessage>, ActorRef<ClientStatisticsReport>> intakes = new HashMap<>();
    private final Set<ActorRef<NodeMessage>> refused = new HashSet<>();
    private int known;

    private ClusterCoordinator(ActorContext<CoordinatorMessage> context, TimerScheduler<CoordinatorMessage> timers,
                               Settings settings) {
        super(context);
        this.settings = settings;
        this.timers = timers;
        this.statistics = new ClientStatistics[settings.clients()];
        context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
    }

    static Behavior<CoordinatorMessage> create(Settings settings) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ClusterCoordinator(ctx, timers, settings)));
    }

    @Override
    public Receive<CoordinatorMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(ClientNodeReady.class, this::onNodeReady)
                .onMessage(ClientStatisticsReport.class, this::onMisdirectedStatistics)
                .onMessage(NodeStatistics.class, this::onNodeStatistics)
                .onMessage(NodeRefused.class, refusal -> refuse(refusal.node(), refusal.reason()))
                .onMessage(NodeStopped.class, this::onNodeStopped)
                .onMessageEquals(GraceOver.INSTANCE, this::onGraceOver)
                .onSignal(ChildFailed.class, this::onIntakeFailed)
                .onSignal(Terminated.class, stopped -> this)
                .build();
    }

    private Behavior<CoordinatorMessage> onNodeReady(ClientNodeReady ready) {
        final ActorRef<NodeMessage> node = ready.node();
        if (node == null) {
            getContext().getLog().warn("a clients node announced itself without a reference to reach it; ignored");
            return this;
        }
        if (refused.contains(node) || intakes.containsKey(node) || settings.directory().contains(node)) {
            getContext().getLog().debug("clients node {} announced itself again; ignored", node.path().address());
            return this;
        }
        if (!settings.federation().equals(ready.federation())) {
            return refuse(node, "this node's flags give [" + ready.federation() + "] but the server's experiment is ["
                    + settings.federation() + "]; give every node the same flags");
        }
        if (ready.firstClient() < 0 || ready.lastClient() >= settings.clients()
                || ready.firstClient() > ready.lastClient()) {
            return refuse(node, "it offers clients " + ready.firstClient() + ".." + ready.lastClient()
                    + ", outside the federation's 0.." + (settings.clients() - 1));
        }
        final NodeDirectory.Range range = new NodeDirectory.Range(ready.firstClient(), ready.lastClient());
        final ActorRef<ClientStatisticsReport> intake = getContext().spawn(
                StatisticsIntake.create(node, range, settings.dimension(), getContext().getSelf()),
                Unguessable.name("intake"));
        getContext().watch(intake);
        getContext().watchWith(node, new NodeStopped(node));
        intakes.put(node, intake);
        node.tell(new NodeMessage.SendStatistics(intake));
        return this;
    }

    private Behavior<CoordinatorMessage> onMisdirectedStatistics(ClientStatisticsReport report) {
        getContext().getLog().warn("statistics for client {} sent to the coordinator itself; refused: a node sends "
                + "them to the intake it was given", report.clientId());
        return this;
    }

    private Behavior<CoordinatorMessage> onNodeStatistics(NodeStatistics offered) {
        final ActorRef<NodeMessage> node = offered.node();
        if (intakes.remove(node) == null) {
            return this;                                     // the node stopped meanwhile
        }
        for (ClientStatistics s : offered.statistics()) {
            final ClientStatistics first = statistics[s.clientId()];
            if (first != null && !sameStatistics(first, s)) {
                return refuse(node, "its statistics for client " + s.clientId() + " differ from those the federation "
                        + "already holds; its data are not the federation's");
            }
        }
        for (ClientStatistics s : offered.statistics()) {
            if (statistics[s.clientId()] == null) {
                statistics[s.clientId()] = s;
                known++;
            }
        }
        settings.directory().add(node, offered.range());
        timers.cancel(GraceOver.INSTANCE);
        getContext().getLog().info("clients node {} ready with clients {}..{}", node.path().address(),
                offered.range().first(), offered.range().last());
        if (!settings.optimum().isDone() && known == settings.clients()) {
            solve();
        }
        return this;
    }

    private void solve() {
        final OptimumAccumulator accumulator = new OptimumAccumulator(settings.dimension());
        for (ClientStatistics s : statistics) {
            accumulator.add(s);
        }
        try {
            settings.optimum().complete(accumulator.solve());
        } catch (RuntimeException e) {
            settings.optimum().completeExceptionally(e);
        }
    }

    private static boolean sameStatistics(ClientStatistics a, ClientStatistics b) {
        return Arrays.equals(a.gram(), b.gram()) && Arrays.equals(a.moment(), b.moment()) && a.weight() == b.weight();
    }

    /** Refuses a node as a whole: it is told why, and nothing it sends is taken any more. */
    private Behavior<CoordinatorMessage> refuse(ActorRef<NodeMessage> node, String reason) {
        refused.add(node);
        final ActorRef<ClientStatisticsReport> intake = intakes.remove(node);
        if (intake != null) {
            getContext().stop(intake);
        }
        getContext().unwatch(node);
        getContext().getLog().error("refused clients node {}: {}", node.path().address(), reason);
        node.tell(new NodeMessage.ExperimentOver("refused: " + reason));
        return this;
    }

    private Behavior<CoordinatorMessage> onIntakeFailed(ChildFailed failed) {
        intakes.entrySet().stream().filter(e -> e.getValue().equals(failed.getRef())).findFirst()
                .ifPresent(e -> refuse(e.getKey(), "its statistics could not be taken in: " + failed.getCause()));
        return this;
    }

    private Behavior<CoordinatorMessage> onNodeStopped(NodeStopped stopped) {
        final ActorRef<ClientStatisticsReport> intake = intakes.remove(stopped.node());
        if (intake != null) {
            getContext().stop(intake);
        }
        if (!settings.directory().remove(stopped.node())) {
            return this;
        }
        if (settings.directory().isOver()) {
            getContext().getLog().info("clients node {} left after the experiment", stopped.node().path().address());
            return this;
        }
        getContext().getLog().warn("clients node {} is gone; its clients are dropped", stopped.node().path().address());
        if (settings.directory().isEmpty()) {
            timers.startSingleTimer(GraceOver.INSTANCE, settings.grace());
        }
        return this;
    }

    private Behavior<CoordinatorMessage> onGraceOver() {
        if (!settings.directory().isEmpty() || settings.directory().isOver()) {
            return this;
        }
        final String reason = "every clients node has been gone for " + settings.grace()
                + " (fedlink.cluster.server-grace-period); the experiment cannot go on";
        getContext().getLog().error(reason);
        settings.abandoned().complete(reason);
        getContext().getSystem().terminate();
        return this;
    }
}
