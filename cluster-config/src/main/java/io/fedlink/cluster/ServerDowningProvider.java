package io.fedlink.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.AbstractActorWithTimers;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.DowningProvider;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.Reachability;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Fedlink's downing provider ({@code pekko.cluster.downing-provider-class}): the server node decides, as
 * {@link DowningDecider} says. The server downs every node that stays unreachable, or that cannot reach
 * it, for {@code fedlink.cluster.downing.stable-after}; a clients node that cannot reach the server for
 * as long downs itself and rejoins. The server is never downed, so a pause of the server or a partial
 * partition costs rounds, not the experiment (docs/chaos.md). Every node of a cluster must use it.
 *
 * <p>Reachability per observer comes from Pekko's {@link ClusterEvent.ReachabilityChanged}, the event its
 * own split-brain resolver reads ({@link Reachability} is marked internal in Pekko 1.7; the project pins
 * that version).
 */
public final class ServerDowningProvider extends DowningProvider {

    /** The configuration key of the time a node must stay in trouble before it is downed. */
    public static final String STABLE_AFTER = "fedlink.cluster.downing.stable-after";

    private final Duration stableAfter;
    private final FiniteDuration downRemovalMargin;

    /** Called by Pekko's cluster extension with the node's actor system. */
    public ServerDowningProvider(ActorSystem system) {
        final Config config = system.settings().config();
        this.stableAfter = stableAfter(config);
        final String margin = "pekko.cluster.down-removal-margin";
        final Duration removal = config.getString(margin).equals("off") ? stableAfter : config.getDuration(margin);
        this.downRemovalMargin = FiniteDuration.create(removal.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The configured stable-after.
     *
     * @throws ConfigException naming the key and what it takes, if it is missing, not a duration or not
     *                         positive
     */
    static Duration stableAfter(Config config) {
        final Duration d;
        try {
            d = config.getDuration(STABLE_AFTER);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigException.BadValue(STABLE_AFTER, "expected a duration such as 7s", e);
        }
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException.BadValue(STABLE_AFTER, "expected a positive duration such as 7s, got " + d);
        }
        return d;
    }

    /**
     * Checks a node's configuration for this provider: a positive stable-after, and no setting of Pekko's
     * split-brain resolver among {@code overrides} (the keys given on the command line), which would
     * otherwise be ignored without a word while this provider is the one configured.
     *
     * @throws ConfigException naming the key and what to set instead
     */
    static void check(Config config, Iterable<String> overrides) {
        if (!config.getString("pekko.cluster.downing-provider-class").equals(ServerDowningProvider.class.getName())) {
            return;
        }
        stableAfter(config);
        for (String key : overrides) {
            if (key.trim().startsWith("pekko.cluster.split-brain-resolver")) {
                throw new ConfigException.BadValue(key.trim(), "fedlink's nodes are downed by "
                        + ServerDowningProvider.class.getSimpleName() + " (the server node decides), not by Pekko's "
                        + "split-brain resolver; set " + STABLE_AFTER + " instead");
            }
        }
    }

    @Override
    public FiniteDuration downRemovalMargin() {
        return downRemovalMargin;
    }

    @Override
    public Option<Props> downingActorProps() {
        final Duration d = stableAfter;
        return Option.apply(Props.create(Downing.class, () -> new Downing(d)));
    }

    /**
     * The members in trouble in the server node's view: every subject of an unreachable (or terminated)
     * record, and every observer of the server as unreachable; the server itself and members that are not
     * in view (already down, exiting or removed) left out.
     *
     * @param server the server node, whose view this is
     * @param inView whether a member is still in view
     */
    static Set<UniqueAddress> troubled(Reachability reachability, UniqueAddress server,
                                       Predicate<UniqueAddress> inView) {
        final Set<UniqueAddress> troubled = new HashSet<>();
        for (Reachability.Record r : CollectionConverters.asJava(reachability.records())) {
            if (!reachability.isReachable(r.observer(), r.subject())) {
                troubled.add(r.subject());
                if (r.subject().equals(server)) {
                    troubled.add(r.observer());
                }
            }
        }
        troubled.remove(server);
        troubled.removeIf(inView.negate());
        return troubled;
    }

    /** The actor that follows the cluster's membership and reachability and downs as the decider says. */
    static final class Downing extends AbstractActorWithTimers {

        private static final Object TICK = "tick";

        private final Cluster cluster = Cluster.get(getContext().getSystem());
        private final LoggingAdapter log = Logging.getLogger(getContext().getSystem(), this);
        private final Duration stableAfter;
        private final DowningDecider<UniqueAddress> decider;
        private final Map<UniqueAddress, Member> members = new HashMap<>();
        private Reachability reachability = Reachability.empty();

        Downing(Duration stableAfter) {
            this.stableAfter = stableAfter;
            this.decider = new DowningDecider<>(cluster.selfUniqueAddress(), stableAfter.toNanos());
        }

        @Override
        public void preStart() {
            cluster.subscribe(getSelf(), ClusterEvent.initialStateAsSnapshot(), ClusterEvent.MemberEvent.class,
                    ClusterEvent.ReachabilityChanged.class);
            // A decision falls due with time alone: look again a few times per stable-after, at most every second.
            final long tick = Math.max(100, Math.min(1000, stableAfter.toMillis() / 4));
            getTimers().startTimerWithFixedDelay(TICK, TICK, Duration.ofMillis(tick));
        }

        @Override
        public void postStop() {
            cluster.unsubscribe(getSelf());
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(ClusterEvent.CurrentClusterState.class, state -> {
                        members.clear();
                        state.getMembers().forEach(m -> members.put(m.uniqueAddress(), m));
                        decide();
                    })
                    .match(ClusterEvent.MemberRemoved.class, e -> {
                        members.remove(e.member().uniqueAddress());
                        decide();
                    })
                    .match(ClusterEvent.MemberEvent.class, e -> {
                        members.put(e.member().uniqueAddress(), e.member());
                        decide();
                    })
                    .match(ClusterEvent.ReachabilityChanged.class, e -> {
                        reachability = e.reachability();
                        decide();
                    })
                    .matchEquals(TICK, t -> decide())
                    .build();
        }

        private void decide() {
            final UniqueAddress self = cluster.selfUniqueAddress();
            Member server = null;
            for (Member m : members.values()) {
                if (m.hasRole("server") && (m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving())
                        && (server == null || m.isOlderThan(server))) {
                    server = m;
                }
            }
            final UniqueAddress serverAddress = server == null ? null : server.uniqueAddress();
            final Set<UniqueAddress> troubled = serverAddress != null && serverAddress.equals(self)
                    ? troubled(reachability, self, node -> {
                        final Member m = members.get(node);
                        return m != null && m.status() != MemberStatus.down() && m.status() != MemberStatus.exiting();
                    })
                    : Set.of();
            final boolean lost = serverAddress != null && !reachability.isReachable(self, serverAddress);
            for (UniqueAddress node : decider.decide(serverAddress, troubled, lost, System.nanoTime())) {
                if (node.equals(self)) {
                    log.warning("downing this node: it has not reached the server node {} for {} ({})",
                            serverAddress.address(), stableAfter, STABLE_AFTER);
                } else {
                    log.warning("downing {}: unreachable, or unable to reach the server, for {} ({}); reachability: {}",
                            node.address(), stableAfter, STABLE_AFTER, reachability);
                }
                cluster.down(node.address());
            }
        }
    }
}
