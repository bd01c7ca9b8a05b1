package io.fedlink.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The records keep what a receiver needs to reject a message, and only change what they say they change. */
class ProtocolMessagesTest {

    @Test
    void withVectorsKeepsRoundClientLostSlotsAndReplyAddress() {
        final double[] sent = {1, 2};
        final double[] received = {1.5, 2.5};
        final ServerMessage.LocalModel upload = new ServerMessage.LocalModel(7, 3, 11L, new int[] {0, 2},
                new double[][] {sent, sent}, new int[] {1});
        final ServerMessage.LocalModel delivered = upload.withVectors(new int[] {2}, new double[][] {received});
        assertEquals(7, delivered.round());
        assertEquals(3, delivered.clientId());
        assertEquals(11L, delivered.poll(), "the poll it answers travels with it");
        assertArrayEquals(new int[] {2}, delivered.slots());
        assertSame(received, delivered.vector());
        assertArrayEquals(new int[] {1}, delivered.lost(), "the lost polls travel with it");
        assertSame(sent, upload.vectors()[0], "the sent message is not changed");

        final ClientMessage.GlobalModel poll = new ClientMessage.GlobalModel(4, 11L, sent, null);
        assertArrayEquals(new int[] {0}, poll.slots(), "a federation of one trial has slot 0");
        final ClientMessage.GlobalModel arrived = poll.withVectors(new int[] {0}, new double[][] {received});
        assertEquals(4, arrived.round());
        assertEquals(11L, arrived.poll());
        assertSame(received, arrived.vector());
    }

    @Test
    void slotsMustAscendAndEachHaveItsVector() {
        final double[] v = {1};
        assertThrows(IllegalArgumentException.class,
                () -> new ClientMessage.GlobalModel(1, 1L, new int[] {0, 1}, new double[][] {v}, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ClientMessage.GlobalModel(1, 1L, new int[] {1, 0}, new double[][] {v, v}, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ClientMessage.GlobalModel(1, 1L, new int[] {-1}, new double[][] {v}, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ServerMessage.LocalModel(1, 1, 1L, new int[] {0}, new double[][] {null}, new int[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new ServerMessage.LocalModel(1, 1, 1L, new int[] {0, 3}, new double[][] {v, v}, new int[] {3}),
                "a slot cannot be both uploaded and lost");
        assertThrows(IllegalArgumentException.class, () -> new ClientMessage.StartUp(1L, new int[] {2, 2}, null));
        assertThrows(IllegalStateException.class,
                () -> new ClientMessage.GlobalModel(1, 1L, new int[] {0, 1}, new double[][] {v, v}, null).vector());
    }

    @Test
    void roundPlanNeedsOneMailboxPerPolledClient() {
        assertThrows(IllegalArgumentException.class,
                () -> new ServerMessage.RoundPlan(1, new int[] {0, 1}, List.of(), null));
        assertEquals(0, new ServerMessage.RoundPlan(1, new int[0], List.of(), null).clientIds().length);
        assertThrows(IllegalArgumentException.class,
                () -> new ServerMessage.RoundPlan(1, new int[0], List.of(), new int[][] {{4}}, null),
                "every client a slot polls needs its mailbox");
        assertThrows(IllegalArgumentException.class,
                () -> new ServerMessage.RoundPlan(1, new int[0], List.of(), new int[0][], null),
                "a plan covers at least one slot");
    }

    @Test
    void roundPlanSlotsPollOnlyItsClientsInAscendingOrder() {
        final org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit kit =
                org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create();
        try {
            final int[] ids = {2, 5, 9};
            final List<org.apache.pekko.actor.typed.ActorRef<ClientMessage>> mailboxes = List.of(
                    kit.<ClientMessage>createTestProbe().getRef(), kit.<ClientMessage>createTestProbe().getRef(),
                    kit.<ClientMessage>createTestProbe().getRef());
            final int[][] polled = {{2, 9}, {5}, {2, 5, 9}, {}};
            assertArrayEquals(polled, new ServerMessage.RoundPlan(3, ids, mailboxes, polled, null).polled());
            for (int[] slot : new int[][] {{1}, {2, 7}, {5, 10}, {9, 2}, {2, 2}}) {
                final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> new ServerMessage.RoundPlan(3, ids, mailboxes, new int[][] {{5}, slot}, null),
                        () -> java.util.Arrays.toString(slot));
                assertTrue(e.getMessage().contains("without its mailbox") || e.getMessage().contains("ascend"),
                        e.getMessage());
            }
        } finally {
            kit.shutdownTestKit();
        }
    }
}
