package io.fedlink.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.ClientStatistics;
import io.fedlink.core.data.OptimumAccumulator;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.CoordinatorMessage.ClientNodeReady;
import io.fedlink.protocol.CoordinatorMessage.ClientStatisticsReport;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.NodeMessage.ExperimentOver;
import io.fedlink.protocol.NodeMessage.SendStatistics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coordinator against hostile clients nodes, TestProbes playing them: a node's statistics are
 * taken only through its own intake, only for its own clients, only if finite; the first accepted
 * statistics for a client stand; a node that breaks any of this is refused as a whole, and w* is the
 * honest one.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCoordinatorTest {

    /** Every message is serialized and deserialized on send, as if it crossed the network. */
    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder()
            .withCustomConfig(ConfigFactory.parseString("pekko.actor.serialize-messages = on")).build();

    private static final Experiment EXPERIMENT = new Experiment(4, 3, 1.0, SampleCounts.uniform(3, 6), 10, 2, 7L,
            SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 2, 1e-3, 1e-3)));
    private static final String FEDERATION = ClusterNode.federation(EXPERIMENT);
    /** The honest statistics of clients 0..3, from the data a clients node generates. */
    private static final ClientStatistics[] HONEST = ClientsNodeData.generate(EXPERIMENT, 0, 3).statistics();

    /** One coordinator, its directory and the w* it will produce. */
    private final class Rig {
        final NodeDirectory directory = new NodeDirectory();
        final CompletableFuture<double[]> optimum = new CompletableFuture<>();
        final ActorRef<CoordinatorMessage> coordinator = testKit.spawn(ClusterCoordinator.create(
                new ClusterCoordinator.Settings(4, 3, FEDERATION, directory, optimum, Duration.ofHours(1),
                        new CompletableFuture<>())));

        TestProbe<NodeMessage> node() {
            return testKit.createTestProbe(NodeMessage.class);
        }

        /** The node announces itself and is handed its intake. */
        ActorRef<ClientStatisticsReport> announce(TestProbe<NodeMessage> node, int first, int last) {
            coordinator.tell(new ClientNodeReady(first, last, FEDERATION, node.getRef()));
            return node.expectMessageClass(SendStatistics.class).intake();
        }

        /** An honest node: announces clients first..last and sends their statistics. */
        TestProbe<NodeMessage> honest(int first, int last) {
            final TestProbe<NodeMessage> node = node();
            final ActorRef<ClientStatisticsReport> intake = announce(node, first, last);
            for (int k = first; k <= last; k++) {
                send(intake, HONEST[k]);
            }
            node.awaitAssert(() -> {
                assertTrue(directory.contains(node.getRef()), "the honest node is ready");
                return null;
            });
            return node;
        }

        void assertRefused(TestProbe<NodeMessage> node, String why) {
            final String outcome = node.expectMessageClass(ExperimentOver.class).outcome();
            assertTrue(outcome.startsWith("refused: ") && outcome.contains(why), outcome);
            assertFalse(directory.contains(node.getRef()));
        }

        void assertHonestOptimum() throws Exception {
            final OptimumAccumulator accumulator = new OptimumAccumulator(3);
            for (ClientStatistics s : HONEST) {
                accumulator.add(s);
            }
            assertArrayEquals(accumulator.solve(), optimum.get(30, TimeUnit.SECONDS), 0.0, "w* from honest statistics");
        }
    }

    private static void send(ActorRef<ClientStatisticsReport> intake, ClientStatistics s) {
        intake.tell(new ClientStatisticsReport(s.clientId(), s.gram(), s.moment(), s.weight()));
    }

    /** Client k's honest statistics with a change. */
    private static ClientStatistics forged(int k, UnaryOperator<double[]> gram, UnaryOperator<double[]> moment,
                                           double weight) {
        return new ClientStatistics(k, gram.apply(HONEST[k].gram().clone()), moment.apply(HONEST[k].moment().clone()),
                weight);
    }

    private static ClientStatistics forged(int k) {
        return forged(k, g -> {
            g[0] *= 2;
            return g;
        }, m -> m, HONEST[k].weight());
    }

    @Test
    void nodeSendingStatisticsForAnotherNodesClientsIsRefused() throws Exception {
        final Rig rig = new Rig();
        rig.honest(0, 1);
        final TestProbe<NodeMessage> hostile = rig.node();
        send(rig.announce(hostile, 2, 3), forged(0));
        rig.assertRefused(hostile, "client 0, outside its own clients 2..3");
        rig.honest(2, 3);
        rig.assertHonestOptimum();
    }

    @Test
    void statisticsSentToTheCoordinatorItselfAreNotTaken() throws Exception {
        final Rig rig = new Rig();
        final TestProbe<NodeMessage> hostile = rig.node();
        LoggingTestKit.warn("sent to the coordinator itself").withOccurrences(4).expect(testKit.system(), () -> {
            for (int k = 0; k < 4; k++) {
                send(rig.coordinator.unsafeUpcast(), forged(k));
            }
            return null;
        });
        rig.announce(hostile, 0, 3);                              // and it sends nothing through its intake
        rig.honest(0, 3);
        rig.assertHonestOptimum();
        assertFalse(rig.directory.contains(hostile.getRef()), "a node that sent nothing is not ready");
    }

    @Test
    void firstAcceptedStatisticsStandAndANodeThatDiffersIsRefused() throws Exception {
        final Rig rig = new Rig();
        rig.honest(0, 1);
        final TestProbe<NodeMessage> hostile = rig.node();
        final ActorRef<ClientStatisticsReport> intake = rig.announce(hostile, 0, 1);
        send(intake, forged(0));
        send(intake, HONEST[1]);
        rig.assertRefused(hostile, "differ from those the federation already holds");
        rig.honest(2, 3);
        rig.assertHonestOptimum();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NaN in X^T X", "infinity in X^T y", "NaN weight", "zero weight"})
    void nonFiniteStatisticsRefuseTheWholeNode(String poison) throws Exception {
        final Rig rig = new Rig();
        final TestProbe<NodeMessage> hostile = rig.node();
        final ActorRef<ClientStatisticsReport> intake = rig.announce(hostile, 0, 1);
        send(intake, forged(0));                                  // finite, but not client 0's: must not stand
        final ClientStatistics bad = switch (poison) {
            case "NaN in X^T X" -> forged(1, g -> {
                g[4] = Double.NaN;
                return g;
            }, m -> m, HONEST[1].weight());
            case "infinity in X^T y" -> forged(1, g -> g, m -> {
                m[2] = Double.POSITIVE_INFINITY;
                return m;
            }, HONEST[1].weight());
            case "NaN weight" -> forged(1, g -> g, m -> m, Double.NaN);
            default -> forged(1, g -> g, m -> m, 0.0);
        };
        send(intake, bad);
        rig.assertRefused(hostile, poison.contains("weight") ? "positive finite" : "non-finite");
        rig.honest(0, 1);                                         // refused if the forged client 0 had stood
        rig.honest(2, 3);
        rig.assertHonestOptimum();
    }

    @Test
    void nodeWithOtherFlagsOrClientsOutsideTheFederationIsRefused() {
        final Rig rig = new Rig();
        final TestProbe<NodeMessage> otherFlags = rig.node();
        rig.coordinator.tell(new ClientNodeReady(0, 3, FEDERATION.replace("seed=7", "seed=8"), otherFlags.getRef()));
        rig.assertRefused(otherFlags, "give every node the same flags");
        final TestProbe<NodeMessage> outside = rig.node();
        rig.coordinator.tell(new ClientNodeReady(2, 9, FEDERATION, outside.getRef()));
        rig.assertRefused(outside, "outside the federation's 0..3");
        assertFalse(rig.optimum.isDone());
    }
}
