package io.fedlink.cluster;

import io.fedlink.core.data.ClientStatistics;
import io.fedlink.core.data.OptimumAccumulator;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.CoordinatorMessage.ClientNodeReady;
import io.fedlink.protocol.CoordinatorMessage.ClientStatisticsReport;
import io.fedlink.protocol.NodeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterActorRefProvider;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The coordinator on the server node, a cluster singleton: clients nodes find it through the
 * Receptionist and announce themselves. A node whose data come from other parameters is refused; any
 * other gets an intake of its own ({@link StatisticsIntake}) for its clients' statistics, and once
 * they have all arrived it joins the {@link NodeDirectory} (and so hears of the running trials). The
 * first statistics accepted for a client stand: a later node whose statistics for it differ is
 * refused. Once every client 0..K-1 is accounted for, the coordinator computes w* (summing in id
 * order, as one JVM does) and lets the experiment start.
 *
 * <p>On a cluster a node takes part in trials once it is Up, and leaves the directory when the cluster
 * removes it. If none is left for the server grace period, the experiment is abandoned: the
 * coordinator says why and stops the server's actor system.
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

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements CoordinatorMessage.Local {
    }

    private enum GraceOver implements CoordinatorMessage.Local {
        INSTANCE
    }

    /** At most this many announcements wait for their node to become a member (a bound against floods). */
    private static final int MAX_AWAITING = 1024;

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
    /** The cluster, or null in one JVM (the protocol tests): then node sessions are death-watched. */
    private final Cluster cluster;
    /** The cluster's members and their status, as the membership events tell them. */
    private final Map<UniqueAddress, Member> members = new HashMap<>();
    /** Which cluster member (incarnation) each announced node is. */
    private final Map<ActorRef<NodeMessage>, UniqueAddress> memberOf = new HashMap<>();
    /** Announcements from addresses that are not members yet (the node's join is still spreading). */
    private final Map<Address, ClientNodeReady> awaitingMember = new HashMap<>();
    /** Nodes whose statistics are in, waiting to be Up before they take part in trials. */
    private final Map<ActorRef<NodeMessage>, NodeDirectory.Range> awaitingUp = new HashMap<>();
    private int known;

    private ClusterCoordinator(ActorContext<CoordinatorMessage> context, TimerScheduler<CoordinatorMessage> timers,
                               Settings settings) {
        super(context);
        this.settings = settings;
        this.timers = timers;
        this.statistics = new ClientStatistics[settings.clients()];
        this.cluster = clustered(context.getSystem()) ? Cluster.get(context.getSystem()) : null;
        if (cluster != null) {
            cluster.subscriptions().tell(Subscribe.create(
                    context.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new),
                    ClusterEvent.MemberEvent.class));
        }
        context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
    }

    private static boolean clustered(ActorSystem<?> system) {
        return Adapter.toClassic(system) instanceof ExtendedActorSystem classic
                && classic.provider() instanceof ClusterActorRefProvider;
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
                .onMessage(MembershipChanged.class, this::onMembershipChanged)
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
        if (cluster != null) {
            // A node is followed by its membership, not by death watch: watching an actor on an address
            // that a removed incarnation had, before the new one is Up here, is signalled as terminated
            // at once (Pekko's tombstones), and a node that rejoined would never be taken in.
            final Optional<Member> member = liveMemberAt(node.path().address());
            if (member.isEmpty()) {
                if (awaitingMember.size() < MAX_AWAITING) {
                    awaitingMember.put(node.path().address(), ready);
                }
                return this;
            }
            memberOf.put(node, member.get().uniqueAddress());
        } else {
            getContext().watchWith(node, new NodeStopped(node));
        }
        final NodeDirectory.Range range = new NodeDirectory.Range(ready.firstClient(), ready.lastClient());
        final ActorRef<ClientStatisticsReport> intake = getContext().spawn(
                StatisticsIntake.create(node, range, settings.dimension(), getContext().getSelf()),
                Unguessable.name("intake"));
        getContext().watch(intake);
        intakes.put(node, intake);
        getContext().getLog().info("clients node {} announced clients {}..{}; taking their statistics",
                node.path().address(), range.first(), range.last());
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
        if (!settings.optimum().isDone() && known == settings.clients()) {
            solve();
        }
        if (cluster != null && !isUp(memberOf.get(node))) {
            awaitingUp.put(node, offered.range());            // it takes part in trials once it is Up
            return this;
        }
        return admit(node, offered.range());
    }

    /** The node is ready: it takes part in the running trials and every trial after. */
    private Behavior<CoordinatorMessage> admit(ActorRef<NodeMessage> node, NodeDirectory.Range range) {
        settings.directory().add(node, range);
        timers.cancel(GraceOver.INSTANCE);
        getContext().getLog().info("clients node {} ready with clients {}..{}", node.path().address(), range.first(),
                range.last());
        return this;
    }

    private Behavior<CoordinatorMessage> onMembershipChanged(MembershipChanged changed) {
        final Member member = changed.event().member();
        if (changed.event() instanceof ClusterEvent.MemberRemoved) {
            members.remove(member.uniqueAddress());
            for (Map.Entry<ActorRef<NodeMessage>, UniqueAddress> e : new ArrayList<>(memberOf.entrySet())) {
                if (e.getValue().equals(member.uniqueAddress())) {
                    onNodeStopped(new NodeStopped(e.getKey()));
                }
            }
            return this;
        }
        members.put(member.uniqueAddress(), member);
        final ClientNodeReady waiting = awaitingMember.remove(member.address());
        if (waiting != null) {
            onNodeReady(waiting);
        }
        if (isUp(member.uniqueAddress())) {
            for (Map.Entry<ActorRef<NodeMessage>, NodeDirectory.Range> e : new ArrayList<>(awaitingUp.entrySet())) {
                if (member.uniqueAddress().equals(memberOf.get(e.getKey()))) {
                    awaitingUp.remove(e.getKey());
                    admit(e.getKey(), e.getValue());
                }
            }
        }
        return this;
    }

    /** The member (an incarnation that has not left) at this address, if any. */
    private Optional<Member> liveMemberAt(Address address) {
        for (Member m : members.values()) {
            if (m.address().equals(address) && (m.status() == MemberStatus.joining()
                    || m.status() == MemberStatus.weaklyUp() || m.status() == MemberStatus.up())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private boolean isUp(UniqueAddress node) {
        final Member m = node == null ? null : members.get(node);
        return m != null && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp());
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
        memberOf.remove(node);
        awaitingUp.remove(node);
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
        memberOf.remove(stopped.node());
        awaitingUp.remove(stopped.node());
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
