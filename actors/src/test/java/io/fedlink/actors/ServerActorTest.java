package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.typesafe.config.ConfigFactory;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.engine.TrialWiring;
import io.fedlink.core.link.LinkNoise;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ClientMessage.StartUp;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.LocalModel;
import io.fedlink.protocol.ServerMessage.RoundPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server's round protocol, with TestProbes playing the clients (honest and hostile), the
 * scheduler and the monitor. Time is manual: a round times out only when the test moves the clock.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerActorTest {

    /** Every message is serialized and deserialized on send, as if it crossed the network. */
    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config()
            .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))).build();

    private static final int L = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A server for `rerce` (w_{n+1} = mean of uploads, broadcast s = 2 w_{n+1} - w_n) and its probes. */
    private final class Rig {
        final TestProbe<RoundClosed> scheduler = testKit.createTestProbe(RoundClosed.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final List<TestProbe<ClientMessage>> clients = new ArrayList<>();
        final ActorRef<ServerMessage> server;
        /** The last poll each client received: its id, and where to answer it. */
        final Map<Integer, ClientMessage> polls = new HashMap<>();

        Rig(int clientCount) {
            for (int k = 0; k < clientCount; k++) {
                clients.add(testKit.createTestProbe(ClientMessage.class));
            }
            server = testKit.spawn(ServerActor.create(FederatedAlgorithm.RERCE.newServer(clientCount, L), L, TIMEOUT,
                    monitor.getRef()));
        }

        void plan(int round, int... polled) {
            final List<ActorRef<ClientMessage>> refs = new ArrayList<>();
            for (int k : polled) {
                refs.add(clients.get(k).getRef());
            }
            server.tell(new RoundPlan(round, polled, refs, scheduler.getRef()));
        }

        /** Client k takes the poll it was sent. */
        ClientMessage receive(int k) {
            final ClientMessage poll = clients.get(k).expectMessageClass(ClientMessage.class);
            polls.put(k, poll);
            return poll;
        }

        GlobalModel receiveModel(int k) {
            return (GlobalModel) receive(k);
        }

        long pollId(int k) {
            return polls.get(k) instanceof StartUp s ? s.poll() : ((GlobalModel) polls.get(k)).poll();
        }

        ActorRef<ServerMessage.Answer> uploads(int k) {
            return polls.get(k) instanceof StartUp s ? s.replyTo() : ((GlobalModel) polls.get(k)).replyTo();
        }

        int round(int k) {
            return polls.get(k) instanceof GlobalModel g ? g.round() : 0;
        }

        /** Client k answers its poll honestly (the vector is the test's). */
        void answer(int k, double... vector) {
            uploads(k).tell(new LocalModel(round(k), k, pollId(k), vector));
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
        final Rig rig = new Rig(3);
        rig.plan(0, 0, 1, 2);
        for (int k = 0; k < 3; k++) {
            rig.receive(k);
        }
        // Floating-point addition is not associative: in id order (1e16 + 1) - 1e16 = 0, in arrival
        // order 2, 0, 1 it would be (-1e16 + 1e16) + 1 = 1. The server must give the id-order result.
        rig.answer(2, -1e16, 0);
        rig.answer(0, 1e16, 3);
        rig.answer(1, 1, 6);
        final RoundClosed closed = rig.closed();
        assertEquals(0, closed.round());
        assertEquals(3, closed.received());
        assertEquals(0, closed.dropped().length);

        rig.plan(1, 0, 2);
        final GlobalModel poll = rig.receiveModel(0);
        // w_0 = ((1e16 + 1) - 1e16) / 3 = 0 and (3 + 6 + 0) / 3 = 3; s_0 = 2 w_0 - w_{-1} = (0, 6).
        assertArrayEquals(new double[] {0.0, 6.0}, poll.vector(), 0.0);
        assertEquals(1, poll.round());
        final GlobalModel other = rig.receiveModel(2);
        assertNotEquals(poll.poll(), other.poll(), "each poll has its own id");
    }

    @Test
    void stoppedClientDoesNotStallRound() {
        final Rig rig = new Rig(3);
        rig.plan(0, 0, 1, 2);
        rig.receive(0);
        rig.receive(2);
        rig.answer(0, 1, 1);
        rig.answer(2, 3, 3);
        rig.clients.get(1).stop();
        rig.server.tell(new ClientStopped(1));                // as the scheduler, which watches it, says
        final RoundClosed closed = rig.closed();              // no time passes: the notice closes it
        assertEquals(2, closed.received());
        assertArrayEquals(new int[] {1}, closed.dropped());
        assertArrayEquals(new int[] {1}, rig.report().dropped());

        // Polled again, a stopped client is dropped at once.
        rig.plan(1, 1, 2);
        rig.receive(2);
        rig.answer(2, 3, 3);
        assertArrayEquals(new int[] {1}, rig.closed().dropped());
    }

    @Test
    void silentClientIsDroppedWhenTheRoundTimesOut() {
        final ManualTime time = ManualTime.get(testKit.system());
        final Rig rig = new Rig(2);
        rig.plan(0, 0, 1);
        rig.receive(0);
        rig.receive(1);
        rig.answer(0, 2, 4);
        time.expectNoMessageFor(TIMEOUT.minusMillis(1), rig.scheduler);
        time.timePasses(Duration.ofMillis(2));
        final RoundClosed closed = rig.closed();
        assertEquals(1, closed.received());
        assertArrayEquals(new int[] {1}, closed.dropped());

        // Only the upload that arrived counts: w_0 = (2, 4), s_0 = (4, 8). The late answer is stale.
        rig.answer(1, 100, 100);
        rig.plan(1, 0);
        assertArrayEquals(new double[] {4, 8}, rig.receiveModel(0).vector(), 0.0);
    }

    @Test
    void staleUnknownDuplicateMalformedAndNonFiniteUploadsAreRejectedAndChangeNothing() {
        final Rig rig = new Rig(3);
        rig.plan(0, 0, 1);
        rig.receive(0);
        rig.receive(1);
        final ActorRef<ServerMessage.Answer> uploads = rig.uploads(0);
        final long poll0 = rig.pollId(0);
        final long poll1 = rig.pollId(1);
        rig.answer(0, 1, 1);
        uploads.tell(new LocalModel(0, 0, poll0, new double[] {100, 100}));            // duplicate
        uploads.tell(new LocalModel(0, 2, poll0, new double[] {100, 100}));            // not polled this round
        uploads.tell(new LocalModel(0, 7, poll0, new double[] {100, 100}));            // no such client
        uploads.tell(new LocalModel(0, 1, poll1, new double[] {100, 100, 1}));         // wrong length
        uploads.tell(new LocalModel(5, 1, poll1, new double[] {100, 100}));            // another round
        uploads.tell(new LocalModel(0, 1, poll1, new double[] {Double.NaN, 1}));       // not a number
        uploads.tell(new LocalModel(0, 1, poll1, new double[] {1, Double.NEGATIVE_INFINITY}));  // not finite
        rig.answer(1, 3, 3);
        // Had any rejected upload counted, client 1 would have been heard before its real answer.
        final RoundClosed closed = rig.closed();
        assertEquals(2, closed.received());
        assertEquals(7, rig.report().rejected());

        rig.answer(1, 100, 100);                                // stale: round 0 is closed
        rig.plan(1, 0);
        // w_0 = mean{(1,1), (3,3)} = (2,2); s_0 = (4,4): none of the rejected vectors counted.
        assertArrayEquals(new double[] {4, 4}, rig.receiveModel(0).vector(), 0.0);
        rig.answer(0, 4, 4);
        rig.closed();
        assertEquals(1, rig.report().rejected(), "the stale upload counts towards the next report");
    }

    @Test
    void uploadInAnotherClientsNameIsRejected() {
        final Rig rig = new Rig(3);
        rig.plan(0, 0, 1, 2);
        for (int k = 0; k < 3; k++) {
            rig.receive(k);
        }
        // Client 0, hostile, holds the upload reference from its own poll and answers for client 1
        // first, with its own poll id and with guesses: none is client 1's poll, so none counts.
        final ActorRef<ServerMessage.Answer> uploads = rig.uploads(0);
        uploads.tell(new LocalModel(0, 1, rig.pollId(0), new double[] {1e9, 1e9}));
        uploads.tell(new LocalModel(0, 1, 0L, new double[] {1e9, 1e9}));
        uploads.tell(new LocalModel(0, 1, rig.pollId(2), new double[] {1e9, 1e9}));
        rig.answer(0, 3, 0);
        rig.answer(1, 6, 3);
        rig.answer(2, 0, 6);
        final RoundClosed closed = rig.closed();
        assertEquals(3, closed.received(), "the honest client 1 was heard: the forgeries did not take its place");
        assertEquals(3, rig.report().rejected());
        rig.plan(1, 1);
        // w_0 = mean{(3,0), (6,3), (0,6)} = (3,3); s_0 = (6,6).
        assertArrayEquals(new double[] {6, 6}, rig.receiveModel(1).vector(), 0.0);
    }

    @Test
    void nonFiniteAnswerLeavesTheClientSilentAndTheModelFinite() {
        final ManualTime time = ManualTime.get(testKit.system());
        final Rig rig = new Rig(2);
        rig.plan(0, 0, 1);
        rig.receive(0);
        rig.receive(1);
        rig.answer(0, 2, 2);
        rig.answer(1, Double.POSITIVE_INFINITY, 0);
        time.timePasses(TIMEOUT.plusMillis(1));
        final RoundClosed closed = rig.closed();
        assertEquals(1, closed.received());
        assertArrayEquals(new int[] {1}, closed.dropped());
        assertEquals(1, rig.report().rejected());
        rig.plan(1, 1);
        assertArrayEquals(new double[] {4, 4}, rig.receiveModel(1).vector(), 0.0);
    }

    @Test
    void uploadReferenceTakesUploadsOnly() {
        final Rig rig = new Rig(2);
        rig.plan(0, 0, 1);
        rig.receive(0);
        rig.receive(1);
        rig.answer(0, 1, 1);
        rig.answer(1, 1, 1);
        rig.closed();
        // Client 0 sends a plan of its own through the upload reference: were it taken, round 1 would
        // poll client 0, and the scheduler's plan, arriving while that round is open, would be ignored.
        rig.uploads(0).unsafeUpcast().tell(new RoundPlan(1, new int[] {0}, List.of(rig.clients.get(0).getRef()),
                rig.scheduler.getRef()));
        rig.plan(1, 1);
        assertEquals(1, rig.receiveModel(1).round(), "the scheduler's plan was the one carried out");
    }

    @Test
    void emptyRoundClosesAtOnce() {
        final Rig rig = new Rig(2);
        rig.plan(0);
        final RoundClosed closed = rig.closed();
        assertEquals(0, closed.polled());
        assertEquals(0, closed.received());
    }

    /**
     * The server sits behind its failure reporter and its noisy mailbox's uplinks, and every admitted upload
     * (a million in a million clients' start-up round) reaches it: had it answered with a new behavior
     * ({@code this} counts as one), each interceptor would wrap that anew (docs/architecture.md, "Noisy
     * mailbox"). Its chain after a plan and the uploads that close the round is the one it started with.
     */
    @Test
    void theServersInterceptorsAreNotRebuiltByItsMessages() {
        final TestInbox<MonitorMessage> monitor = TestInbox.create();
        final TestInbox<RoundClosed> scheduler = TestInbox.create();
        final TestInbox<ClientMessage> first = TestInbox.create();
        final TestInbox<ClientMessage> second = TestInbox.create();
        final TestInbox<TrialLauncher.TrialOutcome> outcomes = TestInbox.create();
        final Behavior<ServerMessage> server = FailureReporter.reporting(ServerMessage.class, new int[] {0},
                outcomes.getRef(), NoisyMailbox.uplinks(L, new TrialWiring(5L, 0, LinkNoise.uniform(2, 1e-4, 1e-4)),
                        ServerActor.create(FederatedAlgorithm.RERCE.newServer(2, L), L, TIMEOUT, monitor.getRef())));
        final BehaviorTestKit<ServerMessage> kit = BehaviorTestKit.create(server);
        final Behavior<ServerMessage> started = kit.currentBehavior();

        kit.run(new RoundPlan(0, new int[] {0, 1}, List.of(first.getRef(), second.getRef()), scheduler.getRef()));
        assertSame(started, kit.currentBehavior(), "the plan left the interceptors as they were");
        final StartUp toFirst = (StartUp) first.receiveMessage();
        final StartUp toSecond = (StartUp) second.receiveMessage();
        kit.run(new Upload.Admitted(new LocalModel(0, 0, toFirst.poll(), new double[] {1, 2})));
        assertSame(started, kit.currentBehavior(), "an upload left the interceptors as they were");
        kit.run(new Upload.Admitted(new LocalModel(0, 1, toSecond.poll(), new double[] {3, 4})));
        assertSame(started, kit.currentBehavior(), "the upload that closed the round left them as they were");

        final RoundClosed closed = scheduler.receiveMessage();
        assertEquals(0, closed.round());
        assertEquals(2, closed.received(), "both uploads were taken");
        assertEquals(false, outcomes.hasMessages(), "no failure");
    }
}
