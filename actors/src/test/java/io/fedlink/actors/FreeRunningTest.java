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
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.LocalModel;
import io.fedlink.protocol.ServerMessage.RoundPlan;
import java.time.Duration;
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

/** Free-running mode: clients on their own clocks, the server on its own cadence. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreeRunningTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private static final FederatedProblem PROBLEM =
            FederatedProblem.generate(4L, 3, 6, SampleCounts.uniform(2, 5), 1.0);

    @Test
    void serverAggregatesWhatArrivedAtItsCadenceAndAcceptsLateAnswersToTheLatestPoll() {
        final TestProbe<SchedulerMessage> scheduler = testKit.createTestProbe(SchedulerMessage.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final List<TestProbe<ClientMessage>> clients = List.of(testKit.createTestProbe(ClientMessage.class),
                testKit.createTestProbe(ClientMessage.class), testKit.createTestProbe(ClientMessage.class));
        final List<ActorRef<ClientMessage>> refs = clients.stream().map(TestProbe::getRef).toList();
        final ActorRef<ServerMessage> server = testKit.spawn(FreeRunningServerActor.create(
                FederatedAlgorithm.RERCE.newServer(3, 2), 3, 2, monitor.getRef()));

        server.tell(new RoundPlan(0, new int[] {0, 1, 2}, refs, scheduler.getRef()));
        clients.forEach(c -> c.expectMessageClass(StartUp.class));
        server.tell(new LocalModel(0, 0, new double[] {1, 1}));
        server.tell(new LocalModel(0, 1, new double[] {2, 2}));
        scheduler.expectNoMessage(Duration.ofMillis(50));         // start-up waits for everyone
        server.tell(new LocalModel(0, 2, new double[] {3, 3}));
        assertEquals(0, scheduler.expectMessageClass(RoundClosed.class).round());

        server.tell(new RoundPlan(1, new int[] {0, 2}, List.of(refs.get(0), refs.get(2)), scheduler.getRef()));
        assertArrayEquals(new double[] {4, 4}, clients.get(0).expectMessageClass(GlobalModel.class).vector(), 0.0);
        clients.get(2).expectMessageClass(GlobalModel.class);
        server.tell(new LocalModel(1, 0, new double[] {6, 6}));
        // The cadence closes round 1 with client 0's answer only; client 2 is still thinking.
        server.tell(new RoundPlan(2, new int[] {1}, List.of(refs.get(1)), scheduler.getRef()));
        final RoundClosed first = scheduler.expectMessageClass(RoundClosed.class);
        assertEquals(1, first.round());
        assertEquals(1, first.received());
        // w_1 = (6, 6), s_1 = 2 w_1 - w_0 = (10, 10).
        assertArrayEquals(new double[] {10, 10}, clients.get(1).expectMessageClass(GlobalModel.class).vector(), 0.0);

        server.tell(new LocalModel(1, 2, new double[] {9, 9}));    // late, but answers client 2's latest poll
        server.tell(new LocalModel(1, 0, new double[] {99, 99}));  // client 0 answered already: rejected
        server.tell(new LocalModel(2, 1, new double[] {99, 99, 99})); // wrong length: rejected
        server.tell(new RoundPlan(3, new int[0], List.of(), scheduler.getRef()));
        final RoundClosed second = scheduler.expectMessageClass(RoundClosed.class);
        assertEquals(2, second.round());
        assertEquals(1, second.received());
        monitor.expectMessageClass(RoundReport.class);
        monitor.expectMessageClass(RoundReport.class);
        assertEquals(2, monitor.expectMessageClass(RoundReport.class).rejected());
    }

    @Test
    void continualClientStepsOnItsOwnClockAndAnswersAPollAtItsNextTick() {
        final TestProbe<ServerMessage> server = testKit.createTestProbe(ServerMessage.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final ActorRef<ClientMessage> client = testKit.spawn(FreeRunningClientActor.create(
                FederatedAlgorithm.RERCE_CONTINUAL.newClient(PROBLEM.client(0)), PROBLEM.optimum(), monitor.getRef(), true,
                Duration.ofMillis(20)));
        monitor.expectMessageClass(DeviationReport.class);
        monitor.expectNoMessage(Duration.ofMillis(100));            // no clock before the server speaks
        client.tell(new StartUp(server.getRef()));
        assertEquals(0, server.expectMessageClass(LocalModel.class).round());
        // Unpolled, it keeps stepping: several samples, and no upload.
        for (int i = 0; i < 3; i++) {
            monitor.expectMessageClass(DeviationSample.class, Duration.ofSeconds(2));
        }
        server.expectNoMessage(Duration.ofMillis(10));
        client.tell(new GlobalModel(1, new double[] {1, 1, 1, 1, 1, 1}, server.getRef()));
        final LocalModel upload = server.expectMessageClass(LocalModel.class, Duration.ofSeconds(2));
        assertEquals(1, upload.round());
        assertEquals(0, upload.clientId());
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
            assertTrue(r.roundSeconds()[59] > r.roundSeconds()[0], "rounds close later and later in wall time");
            assertTrue(r.roundSeconds()[59] >= 59 * 0.003 * 0.9, "the server keeps its cadence, no faster");
            assertTrue(r.clientUpdates() > 0);
        }
    }
}
