package io.fedlink.cli.dashboard;

import io.fedlink.cluster.ClientsNodes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * On the server node, follows the cluster's membership and reachability events and the coordinator's
 * list of clients nodes, and tells the {@link RunBoard} the whole picture after every change: each
 * member with its roles, status and reachability (members that were removed stay listed as Removed),
 * and each clients node with its client range and how many of its clients are live. It only listens.
 */
final class MembershipWatch extends AbstractBehavior<MembershipWatch.Command> {

    sealed interface Command {
    }

    private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {
    }

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {
    }

    private enum NodesChanged implements Command {
        INSTANCE
    }

    private final RunBoard board;
    private final ClientsNodes nodes;
    /** Every incarnation seen, in order of first sight; a removed one keeps its Removed status. */
    private final Map<UniqueAddress, Member> members = new LinkedHashMap<>();
    private final Set<UniqueAddress> unreachable = new HashSet<>();
    /** Every clients node's range, as last listed (a node that is gone keeps its range here). */
    private final Map<Address, ClientsNodes.Listed> ranges = new LinkedHashMap<>();

    private MembershipWatch(ActorContext<Command> context, RunBoard board, ClientsNodes nodes) {
        super(context);
        this.board = board;
        this.nodes = nodes;
        final Cluster cluster = Cluster.get(context.getSystem());
        cluster.subscriptions().tell(Subscribe.create(
                context.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
        cluster.subscriptions().tell(Subscribe.create(
                context.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
                ClusterEvent.ReachabilityEvent.class));
        nodes.onChange(() -> context.getSelf().tell(NodesChanged.INSTANCE));
    }

    static Behavior<Command> create(RunBoard board, ClientsNodes nodes) {
        return Behaviors.setup(ctx -> new MembershipWatch(ctx, board, nodes));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MemberChanged.class, this::onMemberChanged)
                .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
                .onMessageEquals(NodesChanged.INSTANCE, this::tell)
                .build();
    }

    private Behavior<Command> onMemberChanged(MemberChanged changed) {
        final Member member = changed.event().member();
        members.put(member.uniqueAddress(), member);
        if (member.status() == MemberStatus.removed()) {
            unreachable.remove(member.uniqueAddress());
        }
        return tell();
    }

    private Behavior<Command> onReachabilityChanged(ReachabilityChanged changed) {
        final Member member = changed.event().member();
        if (changed.event() instanceof ClusterEvent.UnreachableMember) {
            unreachable.add(member.uniqueAddress());
        } else {
            unreachable.remove(member.uniqueAddress());
        }
        return tell();
    }

    private Behavior<Command> tell() {
        for (ClientsNodes.Listed listed : nodes.listed()) {
            ranges.put(listed.address(), listed);
        }
        final Set<Address> listedNow = new HashSet<>();
        nodes.listed().forEach(l -> listedNow.add(l.address()));

        final List<DashboardEvent.Member> shown = new ArrayList<>();
        for (Member m : members.values()) {
            final List<String> roles = new ArrayList<>();
            m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().forEach(roles::add);
            shown.add(new DashboardEvent.Member(m.address().toString(), m.uniqueAddress().longUid(),
                    m.status().toString(), roles, !unreachable.contains(m.uniqueAddress())
                            && m.status() != MemberStatus.removed()));
        }
        final BitSet live = new BitSet();
        final List<DashboardEvent.ClientsNode> clientsNodes = new ArrayList<>();
        for (ClientsNodes.Listed range : ranges.values()) {
            final Member latest = latestAt(range.address());
            final boolean reachable = latest != null && !unreachable.contains(latest.uniqueAddress())
                    && latest.status() != MemberStatus.removed();
            final boolean up = latest != null
                    && (latest.status() == MemberStatus.up() || latest.status() == MemberStatus.weaklyUp());
            final boolean taking = reachable && up && listedNow.contains(range.address());
            if (taking) {
                live.set(range.firstClient(), range.lastClient() + 1);
            }
            clientsNodes.add(new DashboardEvent.ClientsNode(range.address().toString(), range.firstClient(),
                    range.lastClient(), latest == null ? "Removed" : latest.status().toString(), reachable,
                    taking ? range.lastClient() - range.firstClient() + 1 : 0));
        }
        clientsNodes.sort(Comparator.comparingInt(DashboardEvent.ClientsNode::firstClient));
        board.membership(new DashboardEvent.Membership(shown, clientsNodes, live.cardinality()));
        return this;
    }

    /** The newest incarnation seen at an address. */
    private Member latestAt(Address address) {
        Member latest = null;
        for (Member m : members.values()) {
            if (m.address().equals(address)) {
                latest = m;
            }
        }
        return latest;
    }
}
