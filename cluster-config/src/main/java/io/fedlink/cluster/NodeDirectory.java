package io.fedlink.cluster;

import io.fedlink.protocol.NodeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The server node's view of the clients nodes: which node hosts which client ids, and which trials
 * are running, so that a node that joins late is told about them. Thread-safe: the coordinator
 * updates it, the trials read it.
 */
final class NodeDirectory {

    /** An inclusive range of client ids. */
    record Range(int first, int last) {
        int size() {
            return last - first + 1;
        }
    }

    private final Map<ActorRef<NodeMessage>, Range> nodes = new ConcurrentHashMap<>();
    private long emptySince = System.nanoTime();
    private final Map<Integer, NodeMessage.StartTrial> activeTrials = new ConcurrentHashMap<>();

    /** A node is ready: it is told about every running trial. */
    synchronized void add(ActorRef<NodeMessage> node, Range range) {
        emptySince = -1;
        if (nodes.put(node, range) == null) {
            activeTrials.values().forEach(node::tell);
        }
    }

    synchronized void remove(ActorRef<NodeMessage> node) {
        nodes.remove(node);
        if (nodes.isEmpty()) {
            emptySince = System.nanoTime();
        }
    }

    /** How long no clients node has been ready, or zero while one is. */
    synchronized java.time.Duration emptyFor() {
        return emptySince < 0 ? java.time.Duration.ZERO : java.time.Duration.ofNanos(System.nanoTime() - emptySince);
    }

    /**
     * Distinct clients hosted by the nodes currently listed (a node that died and one that replaced it
     * may both be listed until the dead one is downed: their clients are counted once).
     */
    synchronized int clientCount() {
        final java.util.BitSet ids = new java.util.BitSet();
        nodes.values().forEach(r -> ids.set(r.first(), r.last() + 1));
        return ids.cardinality();
    }

    synchronized List<ActorRef<NodeMessage>> nodes() {
        return new ArrayList<>(nodes.keySet());
    }

    /** Tells every node to start the trial, and remembers it for nodes that join while it runs. */
    synchronized void startTrial(NodeMessage.StartTrial start) {
        activeTrials.put(start.trialKey(), start);
        nodes.keySet().forEach(node -> node.tell(start));
    }

    synchronized void endTrial(int trialKey) {
        activeTrials.remove(trialKey);
        final NodeMessage.EndTrial end = new NodeMessage.EndTrial(trialKey);
        nodes.keySet().forEach(node -> node.tell(end));
    }

    synchronized void experimentOver(String outcome) {
        final NodeMessage.ExperimentOver over = new NodeMessage.ExperimentOver(outcome);
        nodes.keySet().forEach(node -> node.tell(over));
    }
}
