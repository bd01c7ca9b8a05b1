package io.fedlink.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The records keep what a receiver needs to reject a message, and only change what they say they change. */
class ProtocolMessagesTest {

    @Test
    void withVectorKeepsRoundClientAndReplyAddress() {
        final double[] sent = {1, 2};
        final double[] received = {1.5, 2.5};
        final ServerMessage.LocalModel upload = new ServerMessage.LocalModel(7, 3, 11L, sent);
        final ServerMessage.LocalModel delivered = upload.withVector(received);
        assertEquals(7, delivered.round());
        assertEquals(3, delivered.clientId());
        assertEquals(11L, delivered.poll(), "the poll it answers travels with it");
        assertSame(received, delivered.vector());
        assertSame(sent, upload.vector(), "the sent message is not changed");

        final ClientMessage.GlobalModel poll = new ClientMessage.GlobalModel(4, 11L, sent, null);
        assertEquals(4, poll.withVector(received).round());
        assertEquals(11L, poll.withVector(received).poll());
    }

    @Test
    void roundPlanNeedsOneMailboxPerPolledClient() {
        assertThrows(IllegalArgumentException.class,
                () -> new ServerMessage.RoundPlan(1, new int[] {0, 1}, List.of(), null));
        assertEquals(0, new ServerMessage.RoundPlan(1, new int[0], List.of(), null).polled().length);
    }
}
