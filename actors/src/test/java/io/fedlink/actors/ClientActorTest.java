package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.typesafe.config.ConfigFactory;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.TrialWiring;
import io.fedlink.core.link.AdditiveGaussianChannel;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.FinishTrial;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ClientMessage.StartUp;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.LocalModel;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client answers only when polled, and under continual updates steps every round it is not. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientActorTest {

    /** Every message is serialized and deserialized on send, as if it crossed the network. */
    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder()
            .withCustomConfig(ConfigFactory.parseString("pekko.actor.serialize-messages = on")).build();

    private static final FederatedProblem PROBLEM =
            FederatedProblem.generate(3L, 4, 6, SampleCounts.uniform(2, 5), 1.0);

    private ActorRef<ClientMessage> spawn(FederatedAlgorithm algorithm, TestProbe<MonitorMessage> monitor) {
        return testKit.spawn(ClientActor.create(algorithm.newClient(PROBLEM.client(1)), PROBLEM.optimum(), monitor.getRef().narrow(),
                algorithm.stepsWhenNotPolled()));
    }

    @Test
    void clientAnswersOnlyWhenPolled() {
        final TestProbe<ServerMessage> server = testKit.createTestProbe(ServerMessage.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final ActorRef<ClientMessage> client = spawn(FederatedAlgorithm.RERCE, monitor);

        // The first thing it sends the server is the answer to the first thing the server asks.
        client.tell(new StartUp(31L, server.getRef().narrow()));
        final LocalModel start = server.expectMessageClass(LocalModel.class);
        assertEquals(0, start.round());
        assertEquals(31L, start.poll(), "an upload names the poll it answers");
        assertArrayEquals(PROBLEM.client(1).localSolution(), start.vector(), 0.0, "rerce uploads wh_k at start-up");

        final double[] broadcast = {1, 2, 3, 4, 5, 6};
        client.tell(new GlobalModel(4, -8L, broadcast, server.getRef().narrow()));
        final LocalModel upload = server.expectMessageClass(LocalModel.class);
        assertEquals(4, upload.round());
        assertEquals(1, upload.clientId());
        assertEquals(-8L, upload.poll());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, broadcast, 0.0, "the received array is not touched");

        client.tell(new GlobalModel(4, 9L, broadcast, server.getRef().narrow()));    // the same round again: ignored
        client.tell(new GlobalModel(5, 10L, new double[] {1, 2, Double.NaN, 4, 5, 6}, server.getRef().narrow()));
        client.tell(new GlobalModel(5, 11L, new double[] {1, 2, 3}, server.getRef().narrow()));      // wrong length
        client.tell(new FinishTrial(6));                                 // not a poll: no upload
        client.tell(new GlobalModel(7, 12L, broadcast, server.getRef().narrow()));
        // Messages to one actor are handled in order: had any of the four before answered, its upload
        // would come first.
        final LocalModel next = server.expectMessageClass(LocalModel.class);
        assertEquals(7, next.round());
        assertEquals(12L, next.poll());
    }

    @Test
    void continualClientStepsInRoundsItIsNotPolled() {
        final TestProbe<ServerMessage> server = testKit.createTestProbe(ServerMessage.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final ActorRef<ClientMessage> client = spawn(FederatedAlgorithm.RERCE_CONTINUAL, monitor);
        final DeviationReport initial = monitor.expectMessageClass(DeviationReport.class);
        assertEquals(0, initial.firstRound());

        final double[] first = {0.5, -0.5, 1, 0, 2, 1};
        final double[] second = {1, 1, 1, 1, 1, 1};
        client.tell(new GlobalModel(1, 1L, first, server.getRef().narrow()));
        server.expectMessageClass(LocalModel.class);
        monitor.expectMessageClass(DeviationReport.class);
        client.tell(new GlobalModel(4, 4L, second, server.getRef().narrow()));       // not polled in rounds 2 and 3
        final LocalModel upload = server.expectMessageClass(LocalModel.class);
        final DeviationReport report = monitor.expectMessageClass(DeviationReport.class);

        // Independent computation with the rule itself: poll, two idle steps, poll.
        final ClientRule rule = FederatedAlgorithm.RERCE_CONTINUAL.newClient(PROBLEM.client(1));
        final double[] expected = new double[6];
        rule.onPoll(first, expected);
        final double[] deviations = new double[3];
        rule.onIdleRound();
        deviations[0] = rule.squaredDeviation(PROBLEM.optimum());
        rule.onIdleRound();
        deviations[1] = rule.squaredDeviation(PROBLEM.optimum());
        rule.onPoll(second, expected);
        deviations[2] = rule.squaredDeviation(PROBLEM.optimum());

        assertArrayEquals(expected, upload.vector(), 0.0);
        assertEquals(2, report.firstRound());
        assertArrayEquals(deviations, report.deviations(), 0.0);
        assertNotEquals(deviations[0], deviations[1], "the model moved in a round it was not polled");
    }

    @Test
    void finishTrialReportsTheRoundsStillOwed() {
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final ActorRef<ClientMessage> client = spawn(FederatedAlgorithm.RERCE, monitor);
        final double start = monitor.expectMessageClass(DeviationReport.class).deviations()[0];
        client.tell(new FinishTrial(5));
        final DeviationReport report = monitor.expectMessageClass(DeviationReport.class);
        assertEquals(1, report.firstRound());
        assertArrayEquals(new double[] {start, start, start, start, start}, report.deviations(), 0.0,
                "a rerce client that was never polled keeps w_k = wh_k");
    }

    /**
     * A client sits behind two interceptors (its failure reporter and its noisy mailbox). Had it answered a
     * message with a new behavior (its own {@code this} counts as one), each interceptor would wrap that
     * anew: two interceptor objects per message per client, which at a million clients the collector
     * copies (docs/performance.md). It answers {@code Behaviors.same()}, so the chain built at start lasts.
     */
    @Test
    void aClientsInterceptorsAreNotRebuiltByItsMessages() {
        final TestInbox<ServerMessage> server = TestInbox.create();
        final TestInbox<DeviationReport> monitor = TestInbox.create();
        final TestInbox<TrialLauncher.TrialOutcome> outcomes = TestInbox.create();
        final FederatedAlgorithm algorithm = FederatedAlgorithm.RERCE_CONTINUAL;
        final Behavior<ClientMessage> client = FailureReporter.reporting(ClientMessage.class, new int[] {0},
                outcomes.getRef(), NoisyMailbox.downlink(ClientMessage.class, PROBLEM.dimension(),
                        () -> TrialWiring.downlink(9L, 0, 1, new AdditiveGaussianChannel(1e-4)),
                        ClientActor.create(algorithm.newClient(PROBLEM.client(1)), PROBLEM.optimum(),
                                monitor.getRef(), algorithm.stepsWhenNotPolled())));
        final BehaviorTestKit<ClientMessage> kit = BehaviorTestKit.create(client);
        final Behavior<ClientMessage> started = kit.currentBehavior();

        kit.run(new StartUp(1L, server.getRef().narrow()));
        assertSame(started, kit.currentBehavior(), "the start-up request left the interceptors as they were");
        kit.run(new GlobalModel(3, 2L, new double[] {1, 2, 3, 4, 5, 6}, server.getRef().narrow()));
        assertSame(started, kit.currentBehavior(), "a poll left the interceptors as they were");
        kit.run(new FinishTrial(4));
        assertSame(started, kit.currentBehavior(), "the trial's end left the interceptors as they were");

        // The messages were taken, not ignored: two uploads, and a report through round 4.
        assertEquals(0, ((LocalModel) server.receiveMessage()).round());
        assertEquals(3, ((LocalModel) server.receiveMessage()).round());
        DeviationReport last = null;
        while (monitor.hasMessages()) {
            last = monitor.receiveMessage();
        }
        assertEquals(4, last.firstRound() + last.deviations().length - 1, "reported through round 4");
        assertEquals(false, outcomes.hasMessages(), "no failure");
    }
}
