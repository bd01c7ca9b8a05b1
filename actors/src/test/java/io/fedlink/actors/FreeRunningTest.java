package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ClientMessage.StartUp;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.MonitorMessage.DeviationSample;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.LocalModel;
import io.fedlink.protocol.ServerMessage.RoundPlan;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Free-running mode: clients on their own clocks, the server on its own cadence. The protocol tests run
 * on manual time; only the end-to-end run uses the wall clock, and asserts nothing about its pace.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreeRunningTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config()).build();

    private static final FederatedProblem PROBLEM =
            FederatedProblem.generate(4L, 3, 6, SampleCounts.uniform(2, 5), 1.0);

    /** What client k was last asked, to answer it as that client. */
    private static LocalModel answer(ClientMessage poll, int k, double... vector) {
        return poll instanceof StartUp s ? new LocalModel(0, k, s.poll(), vector)
                : new LocalModel(((GlobalModel) poll).round(), k, ((GlobalModel) poll).poll(), vector);
    }

    private static ActorRef<ServerMessage.Answer> replyTo(ClientMessage poll) {
        return poll instanceof StartUp s ? s.replyTo() : ((GlobalModel) poll).replyTo();
    }

    @Test
    void serverAggregatesWhatArrivedAtItsCadenceAndAcceptsLateAnswersToTheLatestPoll() {
        final TestProbe<RoundClosed> scheduler = testKit.createTestProbe(RoundClosed.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final List<TestProbe<ClientMessage>> clients = List.of(testKit.createTestProbe(ClientMessage.class),
                testKit.createTestProbe(ClientMessage.class), testKit.createTestProbe(ClientMessage.class));
        final List<ActorRef<ClientMessage>> refs = clients.stream().map(TestProbe::getRef).toList();
        final ActorRef<ServerMessage> server = testKit.spawn(FreeRunningServerActor.create(
                FederatedAlgorithm.RERCE.newServer(3, 2), 3, 2, Duration.ofSeconds(30), monitor.getRef()));

        server.tell(new RoundPlan(0, new int[] {0, 1, 2}, refs, scheduler.getRef()));
        final ClientMessage[] startUps = new ClientMessage[3];
        for (int k = 0; k < 3; k++) {
            startUps[k] = clients.get(k).expectMessageClass(StartUp.class);
        }
        final ActorRef<ServerMessage.Answer> uploads = replyTo(startUps[0]);
        uploads.tell(answer(startUps[0], 0, 1, 1));
        uploads.tell(answer(startUps[1], 1, 2, 2));
        uploads.tell(answer(startUps[2], 2, 3, 3));
        final RoundClosed startUp = scheduler.expectMessageClass(RoundClosed.class);
        assertEquals(0, startUp.round());
        assertEquals(3, startUp.received(), "the start-up round waited for everyone");

        server.tell(new RoundPlan(1, new int[] {0, 2}, List.of(refs.get(0), refs.get(2)), scheduler.getRef()));
        final GlobalModel poll0 = clients.get(0).expectMessageClass(GlobalModel.class);
        assertArrayEquals(new double[] {4, 4}, poll0.vector(), 0.0);
        final GlobalModel poll2 = clients.get(2).expectMessageClass(GlobalModel.class);
        uploads.tell(answer(poll0, 0, 6, 6));
        // The cadence closes round 1 with client 0's answer only; client 2 is still thinking.
        server.tell(new RoundPlan(2, new int[] {1}, List.of(refs.get(1)), scheduler.getRef()));
        final RoundClosed first = scheduler.expectMessageClass(RoundClosed.class);
        assertEquals(1, first.round());
        assertEquals(1, first.received());
        // w_1 = (6, 6), s_1 = 2 w_1 - w_0 = (10, 10).
        final GlobalModel poll1 = clients.get(1).expectMessageClass(GlobalModel.class);
        assertArrayEquals(new double[] {10, 10}, poll1.vector(), 0.0);

        uploads.tell(answer(poll2, 2, 9, 9));                     // late, but answers client 2's latest poll
        uploads.tell(answer(poll0, 0, 99, 99));                   // client 0 answered already: rejected
        uploads.tell(answer(poll1, 1, 99, 99, 99));               // wrong length: rejected
        uploads.tell(new LocalModel(2, 1, poll1.poll() + 1, new double[] {99, 99}));   // not client 1's poll
        uploads.tell(answer(poll1, 1, Double.NaN, 99));           // not finite: rejected
        server.tell(new RoundPlan(3, new int[0], List.of(), scheduler.getRef()));
        final RoundClosed second = scheduler.expectMessageClass(RoundClosed.class);
        assertEquals(2, second.round());
        assertEquals(1, second.received());
        monitor.expectMessageClass(RoundReport.class);
        monitor.expectMessageClass(RoundReport.class);
        assertEquals(4, monitor.expectMessageClass(RoundReport.class).rejected());
    }

    @Test
    void startUpRoundClosesWithoutASilentClientAfterTheRoundTimeout() {
        final ManualTime time = ManualTime.get(testKit.system());
        final TestProbe<RoundClosed> scheduler = testKit.createTestProbe(RoundClosed.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final TestProbe<ClientMessage> quick = testKit.createTestProbe(ClientMessage.class);
        final TestProbe<ClientMessage> silent = testKit.createTestProbe(ClientMessage.class);
        final ActorRef<ServerMessage> server = testKit.spawn(FreeRunningServerActor.create(
                FederatedAlgorithm.RERCE.newServer(2, 2), 2, 2, Duration.ofSeconds(5), monitor.getRef()));
        server.tell(new RoundPlan(0, new int[] {0, 1}, List.of(quick.getRef(), silent.getRef()), scheduler.getRef()));
        final StartUp asked = quick.expectMessageClass(StartUp.class);
        asked.replyTo().tell(answer(asked, 0, 1, 1));
        time.expectNoMessageFor(Duration.ofMillis(4999), scheduler);
        time.timePasses(Duration.ofMillis(2));
        assertEquals(1, scheduler.expectMessageClass(RoundClosed.class).received());
    }

    @Test
    void continualClientStepsOnItsOwnClockAndAnswersAPollAtItsNextTick() {
        final ManualTime time = ManualTime.get(testKit.system());
        final Duration period = Duration.ofMillis(20);
        final TestProbe<ServerMessage> server = testKit.createTestProbe(ServerMessage.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final ActorRef<ClientMessage> client = testKit.spawn(FreeRunningClientActor.create(
                FederatedAlgorithm.RERCE_CONTINUAL.newClient(PROBLEM.client(0)), PROBLEM.optimum(), monitor.getRef(), true,
                period));
        monitor.expectMessageClass(DeviationReport.class);
        time.expectNoMessageFor(period.multipliedBy(5), monitor);   // no clock before the server speaks
        client.tell(new StartUp(5L, server.getRef().narrow()));
        final LocalModel startUp = server.expectMessageClass(LocalModel.class);
        assertEquals(0, startUp.round());
        assertEquals(5L, startUp.poll());
        // Unpolled, it keeps stepping, one step per period of its clock, and uploads nothing.
        for (int i = 0; i < 3; i++) {
            time.expectNoMessageFor(period.minusMillis(1), monitor);
            time.timePasses(Duration.ofMillis(1));
            monitor.expectMessageClass(DeviationSample.class);
        }
        client.tell(new GlobalModel(1, 6L, new double[] {1, 1, 1, 1, 1, 1}, server.getRef().narrow()));
        time.expectNoMessageFor(period.minusMillis(1), server);     // answered at the next tick, not before
        time.timePasses(Duration.ofMillis(1));
        final LocalModel upload = server.expectMessageClass(LocalModel.class);
        assertEquals(1, upload.round());
        assertEquals(0, upload.clientId());
        assertEquals(6L, upload.poll());
        monitor.expectMessageClass(DeviationSample.class);
    }

    @Test
    void freeRunningExperimentCompletesAndLearns() {
        final Experiment experiment = new Experiment(20, 8, 1.0, SampleCounts.uniform(3, 6), 60, 2, 3L,
                SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, 5, 1e-4, 1e-4),
                        new SeriesSpec(FederatedAlgorithm.RERCE, 5, 1e-4, 1e-4)));
        final ActorEngine engine = new ActorEngine(2, new FederationMode.FreeRunning(Duration.ofMillis(3),
                Duration.ofMillis(2), 3.0), Duration.ofSeconds(30));
        final List<SeriesResult> results = engine.run(experiment, experiment.generateProblem(), ProgressListener.NONE);
        for (SeriesResult r : results) {
            final double[] db = r.nmseDb();
            assertEquals(60, db.length);
            assertTrue(db[59] < db[0] - 3, r.spec().label() + ": no learning, " + db[0] + " -> " + db[59]);
            for (int n = 1; n < 60; n++) {
                assertTrue(r.roundSeconds()[n] >= r.roundSeconds()[n - 1], "round times run forwards");
            }
            assertTrue(r.clientUpdates() > 0);
        }
    }
}
