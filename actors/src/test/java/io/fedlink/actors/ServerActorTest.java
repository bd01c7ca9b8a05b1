package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ClientMessage.StartUp;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.LocalModel;
import io.fedlink.protocol.ServerMessage.RoundPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server's round protocol, with TestProbes playing the clients, the scheduler and the monitor. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerActorTest {

    /** Every message is serialized and deserialized on send, as if it crossed the network. */
    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder()
            .withCustomConfig(ConfigFactory.parseString("pekko.actor.serialize-messages = on")).build();

    private static final int L = 2;

    /** A server for `rerce` (w_{n+1} = mean of uploads, broadcast s = 2 w_{n+1} - w_n) and its probes. */
    private final class Rig {
        final TestProbe<SchedulerMessage> scheduler = testKit.createTestProbe(SchedulerMessage.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final List<TestProbe<ClientMessage>> clients = new ArrayList<>();
        final ActorRef<ServerMessage> server;

        Rig(int clientCount, Duration timeout) {
            for (int k = 0; k < clientCount; k++) {
                clients.add(testKit.createTestProbe(ClientMessage.class));
            }
            server = testKit.spawn(ServerActor.create(FederatedAlgorithm.RERCE.newServer(clientCount, L), L, timeout,
                    monitor.getRef()));
        }

        void plan(int round, int... polled) {
            final List<ActorRef<ClientMessage>> refs = new ArrayList<>();
            for (int k : polled) {
                refs.add(clients.get(k).getRef());
            }
            server.tell(new RoundPlan(round, polled, refs, scheduler.getRef()));
        }

        RoundClosed closed() {
            return scheduler.expectMessageClass(RoundClosed.class);
        }

        RoundReport report() {
            return monitor.expectMessageClass(RoundReport.class);
        }
    }

    @Test
    void closesRoundWithAllUploadsAndAggregatesInIdOrderRegardlessOfArrival() {
        final Rig rig = new Rig(3, Duration.ofSeconds(10));
        rig.plan(0, 0, 1, 2);
        for (TestProbe<ClientMessage> client : rig.clients) {
            client.expectMessageClass(StartUp.class);
        }
        // Floating-point addition is not associative: in id order (1e16 + 1) - 1e16 = 0, in arrival
        // order 2, 0, 1 it would be (-1e16 + 1e16) + 1 = 1. The server must give the id-order result.
        rig.server.tell(new LocalModel(0, 2, new double[] {-1e16, 0}));
        rig.server.tell(new LocalModel(0, 0, new double[] {1e16, 3}));
        rig.server.tell(new LocalModel(0, 1, new double[] {1, 6}));
        final RoundClosed closed = rig.closed();
        assertEquals(0, closed.round());
        assertEquals(3, closed.received());
        assertEquals(0, closed.dropped().length);

        rig.plan(1, 0, 2);
        final GlobalModel poll = rig.clients.get(0).expectMessageClass(GlobalModel.class);
        // w_0 = ((1e16 + 1) - 1e16) / 3 = 0 and (3 + 6 + 0) / 3 = 3; s_0 = 2 w_0 - w_{-1} = (0, 6).
        assertArrayEquals(new double[] {0.0, 6.0}, poll.vector(), 0.0);
        assertEquals(1, poll.round());
        rig.clients.get(2).expectMessageClass(GlobalModel.class);
        rig.clients.get(1).expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void stoppedClientDoesNotStallRound() {
        final Rig rig = new Rig(3, Duration.ofSeconds(30));
        rig.plan(0, 0, 1, 2);
        rig.server.tell(new LocalModel(0, 0, new double[] {1, 1}));
        rig.server.tell(new LocalModel(0, 2, new double[] {3, 3}));
        rig.clients.get(1).stop();
        final RoundClosed closed = rig.closed();              // long before the 30 s timeout
        assertEquals(2, closed.received());
        assertArrayEquals(new int[] {1}, closed.dropped());
        assertArrayEquals(new int[] {1}, rig.report().dropped());

        // Polled again, a stopped client is dropped at once.
        rig.plan(1, 1, 2);
        rig.server.tell(new LocalModel(1, 2, new double[] {3, 3}));
        assertArrayEquals(new int[] {1}, rig.closed().dropped());
    }

    @Test
    void silentClientIsDroppedWhenTheRoundTimesOut() {
        final Rig rig = new Rig(2, Duration.ofMillis(300));
        rig.plan(0, 0, 1);
        rig.clients.get(0).expectMessageClass(StartUp.class);
        rig.server.tell(new LocalModel(0, 0, new double[] {2, 4}));
        rig.scheduler.expectNoMessage(Duration.ofMillis(100));
        final RoundClosed closed = rig.scheduler.expectMessageClass(RoundClosed.class, Duration.ofSeconds(3));
        assertEquals(1, closed.received());
        assertArrayEquals(new int[] {1}, closed.dropped());

        // Only the upload that arrived counts: w_0 = (2, 4), s_0 = (4, 8).
        rig.plan(1, 0);
        assertArrayEquals(new double[] {4, 8}, rig.clients.get(0).expectMessageClass(GlobalModel.class).vector(), 0.0);
    }

    @Test
    void staleUnknownDuplicateAndMalformedUploadsAreRejectedAndChangeNothing() {
        final Rig rig = new Rig(3, Duration.ofSeconds(10));
        rig.plan(0, 0, 1);
        rig.clients.get(0).expectMessageClass(StartUp.class);
        rig.server.tell(new LocalModel(0, 0, new double[] {1, 1}));
        rig.server.tell(new LocalModel(0, 0, new double[] {100, 100}));    // duplicate
        rig.server.tell(new LocalModel(0, 2, new double[] {100, 100}));    // not polled this round
        rig.server.tell(new LocalModel(0, 7, new double[] {100, 100}));    // no such client
        rig.server.tell(new LocalModel(0, 1, new double[] {100, 100, 1})); // wrong length
        rig.server.tell(new LocalModel(5, 1, new double[] {100, 100}));    // another round
        rig.scheduler.expectNoMessage(Duration.ofMillis(100));             // client 1 still outstanding
        rig.server.tell(new LocalModel(0, 1, new double[] {3, 3}));
        assertEquals(2, rig.closed().received());
        assertEquals(5, rig.report().rejected());

        rig.server.tell(new LocalModel(0, 1, new double[] {100, 100}));    // stale: round 0 is closed
        rig.plan(1, 0);
        // w_0 = mean{(1,1), (3,3)} = (2,2); s_0 = (4,4): none of the rejected vectors counted.
        assertArrayEquals(new double[] {4, 4}, rig.clients.get(0).expectMessageClass(GlobalModel.class).vector(), 0.0);
        rig.server.tell(new LocalModel(1, 0, new double[] {4, 4}));
        rig.closed();
        assertEquals(1, rig.report().rejected(), "the stale upload counts towards the next report");
    }

    @Test
    void emptyRoundClosesAtOnce() {
        final Rig rig = new Rig(2, Duration.ofSeconds(30));
        rig.plan(0);
        final RoundClosed closed = rig.closed();
        assertEquals(0, closed.polled());
        assertEquals(0, closed.received());
    }
}
