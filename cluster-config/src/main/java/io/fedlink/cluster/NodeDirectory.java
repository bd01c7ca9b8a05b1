package io.fedlink.cluster;

import io.fedlink.protocol.NodeMessage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The server node's view of the clients nodes: which node (by the session reference it announced)
 * hosts which client ids, and which trials are running, so that a node that joins late is told about
 * them. Thread-safe: the coordinator updates it, the trials and the server's main thread read it.
 */
final class NodeDirectory implements ClientsNodes {

    /** An inclusive range of client ids. */
    record Range(int first, int last) {
        int size() {
            return last - first + 1;
        }
    }

    private final Map<ActorRef<NodeMessage>, Range> nodes = new HashMap<>();
    private final Map<Integer, ActorRef<TrialAdmission.Admit>> activeTrials = new HashMap<>();
    private CompletableFuture<Void> allLeft;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** A node is ready: every running trial admits it. */
    void add(ActorRef<NodeMessage> node, Range range) {
        final boolean added;
        synchronized (this) {
            added = nodes.put(node, range) == null;
            if (added) {
                final TrialAdmission.Admit admit = new TrialAdmission.Admit(node, range);
                activeTrials.values().forEach(trial -> trial.tell(admit));
            }
        }
        if (added) {
            listeners.forEach(Runnable::run);                   // outside the lock: a listener may read the list
        }
    }

    /** @return whether the node was listed */
    boolean remove(ActorRef<NodeMessage> node) {
        final boolean listed;
        synchronized (this) {
            listed = nodes.remove(node) != null;
            if (allLeft != null && nodes.isEmpty()) {
                allLeft.complete(null);
            }
        }
        if (listed) {
            listeners.forEach(Runnable::run);
        }
        return listed;
    }

    @Override
    public synchronized List<Listed> listed() {
        final List<Listed> listed = new ArrayList<>();
        nodes.forEach((node, range) -> listed.add(new Listed(node.path().address(), range.first(), range.last())));
        listed.sort(java.util.Comparator.comparingInt(Listed::firstClient));
        return listed;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    synchronized boolean contains(ActorRef<NodeMessage> node) {
        return nodes.containsKey(node);
    }

    synchronized boolean isEmpty() {
        return nodes.isEmpty();
    }

    /**
     * Distinct clients hosted by the nodes currently listed (a node that died and one that replaced it
     * may both be listed until the dead one is downed: their clients are counted once).
     */
    synchronized int clientCount() {
        final BitSet ids = new BitSet();
        nodes.values().forEach(r -> ids.set(r.first(), r.last() + 1));
        return ids.cardinality();
    }

    synchronized List<ActorRef<NodeMessage>> nodes() {
        return new ArrayList<>(nodes.keySet());
    }

    /**
     * A trial starts: its admission admits every node ready now, and is remembered for the nodes that
     * become ready while the trial runs.
     */
    synchronized void startTrial(int trialKey, ActorRef<TrialAdmission.Admit> admission) {
        activeTrials.put(trialKey, admission);
        nodes.forEach((node, range) -> admission.tell(new TrialAdmission.Admit(node, range)));
    }

    synchronized void endTrial(int trialKey) {
        activeTrials.remove(trialKey);
        final NodeMessage.EndTrial end = new NodeMessage.EndTrial(trialKey);
        nodes.keySet().forEach(node -> node.tell(end));
    }

    /**
     * Tells every node the experiment is over.
     *
     * @return completed once every node has left (each leaves the cluster when it hears this)
     */
    synchronized CompletableFuture<Void> experimentOver(String outcome) {
        if (allLeft == null) {
            allLeft = new CompletableFuture<>();
        }
        final NodeMessage.ExperimentOver over = new NodeMessage.ExperimentOver(outcome);
        nodes.keySet().forEach(node -> node.tell(over));
        if (nodes.isEmpty()) {
            allLeft.complete(null);
        }
        return allLeft;
    }

    /** Whether the experiment is over: a node that leaves now is expected to. */
    synchronized boolean isOver() {
        return allLeft != null;
    }
}
