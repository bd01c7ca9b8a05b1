package io.fedlink.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes to down, decided on one node from its view of the cluster, for a federation with one
 * irreplaceable member (the server node) and replaceable ones (clients nodes).
 *
 * <ul>
 *   <li>On the server node (the oldest member with role {@code server}): every other node that has been
 *       <em>in trouble</em> for stable-after is downed, and the server never downs itself. A node is in
 *       trouble while some member's failure detector observes it as unreachable, or while it observes the
 *       server as unreachable.</li>
 *   <li>On any other node: the node downs itself once its own failure detector has observed the server as
 *       unreachable for stable-after. What other members observe does not count there, so a clients node
 *       does not leave because another one lost its link.</li>
 * </ul>
 *
 * <p>Unlike Pekko's split-brain resolver this never takes the server for one end of an "indirectly
 * connected" pair: a server that resumes from a pause, or keeps its side of a partial partition, stays,
 * and the clients nodes on the far side of the broken links go (and rejoin: ClusterNode.runClients).
 * Times are the caller's (nanoseconds from any fixed origin), so that a test can pass its own.
 *
 * @param <N> a node's identity (Pekko's UniqueAddress in the cluster)
 */
final class DowningDecider<N> {

    private final N self;
    private final long stableAfterNanos;
    /** Since when each node in trouble has been so, continuously (on the server node). */
    private final Map<N, Long> troubledSince = new HashMap<>();
    /** The nodes already downed that are still in view, so that each is downed once. */
    private final Set<N> downed = new HashSet<>();
    /** Since when this node has observed the server as unreachable (elsewhere), or null. */
    private Long serverLostSince;
    private boolean selfDowned;

    DowningDecider(N self, long stableAfterNanos) {
        if (stableAfterNanos <= 0) {
            throw new IllegalArgumentException("stable-after must be positive, got " + stableAfterNanos + " ns");
        }
        this.self = self;
        this.stableAfterNanos = stableAfterNanos;
    }

    /**
     * Takes the current view and says whom to down now; call it on every change of the view and
     * periodically in between, since a decision falls due with time alone.
     *
     * @param server                    the oldest member with role server, or null when there is none
     * @param troubled                  the members other than the server that some member observes as
     *                                  unreachable or that observe the server as unreachable (only read on
     *                                  the server node); members already down or exiting left out
     * @param serverUnreachableFromHere whether this node's own failure detector observes the server as
     *                                  unreachable (only read on other nodes)
     * @param now                       the time, in nanoseconds
     * @return the nodes to down now, each returned once
     */
    Set<N> decide(N server, Set<N> troubled, boolean serverUnreachableFromHere, long now) {
        final Set<N> down = new HashSet<>();
        if (server == null) {
            troubledSince.clear();
            serverLostSince = null;
        } else if (server.equals(self)) {
            serverLostSince = null;
            troubledSince.keySet().retainAll(troubled);
            downed.retainAll(troubled);
            for (N node : troubled) {
                if (node.equals(self)) {
                    continue;
                }
                final long since = troubledSince.computeIfAbsent(node, n -> now);
                if (now - since >= stableAfterNanos && downed.add(node)) {
                    down.add(node);
                }
            }
        } else {
            troubledSince.clear();
            if (!serverUnreachableFromHere) {
                serverLostSince = null;
            } else {
                if (serverLostSince == null) {
                    serverLostSince = now;
                }
                if (now - serverLostSince >= stableAfterNanos && !selfDowned) {
                    selfDowned = true;
                    down.add(self);
                }
            }
        }
        return down;
    }

    /** Since when {@code node} has been in trouble in this server node's view, or null. */
    Long troubledSince(N node) {
        return troubledSince.get(node);
    }

    /** Since when this node has observed the server as unreachable, or null. */
    Long serverLostSince() {
        return serverLostSince;
    }
}
