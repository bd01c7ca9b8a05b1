package io.fedlink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.protocol.NodeMessage;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's directory of clients nodes: a node that joins late is admitted to the running trials
 * only, and the end of the experiment is complete once every node has left.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeDirectoryTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    @Test
    void lateNodeIsAdmittedToRunningTrialsOnly() {
        final NodeDirectory directory = new NodeDirectory();
        final TestProbe<NodeMessage> early = testKit.createTestProbe(NodeMessage.class);
        directory.add(early.getRef(), new NodeDirectory.Range(0, 4));
        final TestProbe<TrialAdmission.Admit> trial1 = testKit.createTestProbe(TrialAdmission.Admit.class);
        final TestProbe<TrialAdmission.Admit> trial2 = testKit.createTestProbe(TrialAdmission.Admit.class);
        directory.startTrial(1, trial1.getRef());
        directory.startTrial(2, trial2.getRef());
        assertEquals(early.getRef(), trial1.expectMessageClass(TrialAdmission.Admit.class).node());
        assertEquals(early.getRef(), trial2.expectMessageClass(TrialAdmission.Admit.class).node());
        directory.endTrial(1);
        assertEquals(1, early.expectMessageClass(NodeMessage.EndTrial.class).trialKey());

        final TestProbe<NodeMessage> late = testKit.createTestProbe(NodeMessage.class);
        directory.add(late.getRef(), new NodeDirectory.Range(5, 9));
        final TrialAdmission.Admit admitted = trial2.expectMessageClass(TrialAdmission.Admit.class);
        assertEquals(late.getRef(), admitted.node(), "trial 2 still runs");
        assertEquals(new NodeDirectory.Range(5, 9), admitted.range());
        assertEquals(10, directory.clientCount());

        assertTrue(directory.remove(early.getRef()));
        assertFalse(directory.remove(early.getRef()), "removed once");
        assertEquals(5, directory.clientCount());
        final CompletableFuture<Void> allLeft = directory.experimentOver("complete");
        late.expectMessageClass(NodeMessage.ExperimentOver.class);
        assertTrue(directory.isOver());
        assertFalse(allLeft.isDone(), "the late node has not left");
        directory.remove(late.getRef());
        assertTrue(allLeft.isDone());
        trial1.expectNoMessage(java.time.Duration.ZERO);
    }

    @Test
    void theServerStartsItsTrialsOnlyOnceEveryClientsNodeIsAdmitted() throws Exception {
        // Statistics of all K clients can arrive before the server sees the last node Up (and admits it):
        // the trials must wait for that admission, or the first ones run without that node's clients.
        final NodeDirectory directory = new NodeDirectory();
        directory.add(testKit.createTestProbe(NodeMessage.class).getRef(), new NodeDirectory.Range(0, 4));
        assertFalse(ClusterNode.awaitAdmitted(directory, 10, java.time.Duration.ZERO),
                "5 of 10 clients admitted: not ready (past a bound of zero the trials would start with those 5)");
        final CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(() -> {
            try {
                return ClusterNode.awaitAdmitted(directory, 10, java.time.Duration.ofMinutes(1)); // a liveness bound
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        directory.add(testKit.createTestProbe(NodeMessage.class).getRef(), new NodeDirectory.Range(5, 9));
        assertTrue(started.get(1, java.util.concurrent.TimeUnit.MINUTES), "released by the admission, not a clock");
        assertTrue(ClusterNode.awaitAdmitted(directory, 10, java.time.Duration.ZERO), "all 10 admitted");
    }
}
