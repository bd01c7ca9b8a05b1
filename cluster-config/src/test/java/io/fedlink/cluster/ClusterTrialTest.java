package io.fedlink.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.fedlink.actors.ActorEngine;
import io.fedlink.actors.FederationMode;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import io.fedlink.protocol.MonitorMessage.TrialEnded;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.NodeMessage.StartTrial;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A trial on the cluster against a hostile clients node that holds the trial's references: its gates
 * pass registrations and deviation reports for its own clients only, and nothing else; the trial
 * runs as if the node were not there. The whole cluster path runs in one JVM (coordinator, a real
 * clients node, the trials), every message serialized on send.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTrialTest {

    /**
     * Protocol messages are serialized on send; the engine's own (io.fedlink.actors: TrialDone, the
     * driver's commands) never leave the server node.
     */
    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(
            "pekko.actor.serialize-messages = on\n"
            + "pekko.actor.no-serialization-verification-needed-class-prefix = [\"org.apache.pekko.\", "
            + "\"io.fedlink.actors.\"]")).build();

    @Test
    void gatePassesOnlyItsMessageClassAboutItsNodesClients() {
        final TestProbe<SchedulerMessage> scheduler = testKit.createTestProbe(SchedulerMessage.class);
        final ActorRef<ClientMessage> client = testKit.createTestProbe(ClientMessage.class).getRef();
        final ActorRef<Object> gate = testKit.spawn(Gate.create(RegisterClient.class, RegisterClient::clientId,
                new NodeDirectory.Range(2, 3), scheduler.getRef()));
        LoggingTestKit.warn("refused").withOccurrences(4).expect(testKit.system(), () -> {
            gate.tell(new RoundClosed(0, 2, 2, new int[0]));             // a forged closure
            gate.tell(new DeviationReport(2, 0, new double[] {0.0}));
            gate.tell(new RegisterClient(0, client));                    // another node's client
            gate.tell(new RegisterClient(4, client));
            return null;
        });
        gate.tell(new RegisterClient(3, client));
        assertEquals(3, scheduler.expectMessageClass(RegisterClient.class).clientId(), "the only one that passed");
    }

    /** Whatever a hostile node can send with a trial's references, it sends, about clients not its own. */
    private static Behavior<NodeMessage> hostileNode(ActorRef<ClientMessage> fakeClient, ActorRef<StartTrial> seen) {
        return Behaviors.receive(NodeMessage.class).onMessage(StartTrial.class, start -> {
            final ActorRef<Object> scheduler = start.scheduler().unsafeUpcast();
            final ActorRef<Object> monitor = start.monitor().unsafeUpcast();
            for (int round = 0; round < 5; round++) {
                scheduler.tell(new RoundClosed(round, 3, 3, new int[0]));
                monitor.tell(new RoundReport(round, 3, 3, new int[0], 0));
            }
            scheduler.tell(new RegisterClient(0, fakeClient));
            monitor.tell(new DeviationReport(0, 0, new double[] {0.0}));
            monitor.tell(new DeviationReport(1, 1, new double[] {0.0, 0.0}));
            monitor.tell(new TrialEnded(30, new int[] {0, 1, 2}, new int[] {3}));
            seen.tell(start);
            return Behaviors.same();
        }).build();
    }

    @Test
    void hostileNodeHoldingATrialsReferencesCannotSteerIt() throws Exception {
        final Experiment experiment = new Experiment(6, 4, 1.0, SampleCounts.uniform(3, 6), 30, 3, 3L,
                SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 3, 1e-3, 1e-3)));
        final NodeDirectory directory = new NodeDirectory();
        final CompletableFuture<double[]> optimum = new CompletableFuture<>();
        final ActorRef<CoordinatorMessage> coordinator = testKit.spawn(ClusterCoordinator.create(
                new ClusterCoordinator.Settings(6, 4, ClusterNode.federation(experiment), directory, optimum,
                        Duration.ofHours(1), new CompletableFuture<>())));
        testKit.spawn(ClientsNodeActor.create(new ClientsNodeActor.Settings(experiment, 0, 5,
                ClusterNode.federation(experiment), Duration.ofHours(1), false),
                blocking -> CompletableFuture.supplyAsync(() -> ClientsNodeData.generate(experiment, 0, 5), blocking),
                new CompletableFuture<>()));
        final double[] wStar = optimum.get(30, TimeUnit.SECONDS);
        final TestProbe<StartTrial> seen = testKit.createTestProbe(StartTrial.class);
        final ActorRef<NodeMessage> hostile = testKit.spawn(hostileNode(
                testKit.createTestProbe(ClientMessage.class).getRef(), seen.getRef()));
        directory.add(hostile, new NodeDirectory.Range(5, 5));    // admitted to every trial, clients 5..5

        final List<SeriesResult> cluster = new ActorEngine(2, new FederationMode.Lockstep(),
                new ClusterTrial(directory, Duration.ofSeconds(30), null), testKit.system())
                .run(experiment, FederatedProblem.withoutClients(experiment.sampleCounts(), wStar), ProgressListener.NONE);
        final List<SeriesResult> reference = new ReferenceEngine(1).run(experiment, experiment.generateProblem(),
                ProgressListener.NONE);
        for (int trial = 0; trial < experiment.trials(); trial++) {
            seen.expectMessageClass(StartTrial.class);             // the hostile node took part in every trial
        }
        assertArrayEquals(reference.get(0).nmse(), cluster.get(0).nmse(), 0.0,
                "the trials ran as if the hostile node were not there");
        assertEquals(0, cluster.get(0).droppedPolls());
        testKit.stop(coordinator);
    }
}
