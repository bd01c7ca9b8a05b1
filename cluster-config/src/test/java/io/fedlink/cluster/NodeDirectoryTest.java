package io.fedlink.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedlink.protocol.NodeMessage;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server's directory of clients nodes: a node that joins late hears of the running trials. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeDirectoryTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private static NodeMessage.StartTrial start(int key) {
        return new NodeMessage.StartTrial(key, key - 1, "rerce", 0.0, new double[] {1, 2}, null, null);
    }

    @Test
    void lateNodeIsToldOfRunningTrialsOnly() {
        final NodeDirectory directory = new NodeDirectory();
        final TestProbe<NodeMessage> early = testKit.createTestProbe(NodeMessage.class);
        directory.add(early.getRef(), new NodeDirectory.Range(0, 4));
        directory.startTrial(start(1));
        directory.startTrial(start(2));
        assertEquals(1, early.expectMessageClass(NodeMessage.StartTrial.class).trialKey());
        assertEquals(2, early.expectMessageClass(NodeMessage.StartTrial.class).trialKey());
        directory.endTrial(1);
        assertEquals(1, early.expectMessageClass(NodeMessage.EndTrial.class).trialKey());

        final TestProbe<NodeMessage> late = testKit.createTestProbe(NodeMessage.class);
        directory.add(late.getRef(), new NodeDirectory.Range(5, 9));
        assertEquals(2, late.expectMessageClass(NodeMessage.StartTrial.class).trialKey(), "trial 2 still runs");
        late.expectNoMessage(java.time.Duration.ofMillis(50));
        assertEquals(10, directory.clientCount());

        directory.remove(early.getRef());
        assertEquals(5, directory.clientCount());
        directory.experimentOver("complete");
        late.expectMessageClass(NodeMessage.ExperimentOver.class);
        early.expectNoMessage(java.time.Duration.ofMillis(50));
    }
}
