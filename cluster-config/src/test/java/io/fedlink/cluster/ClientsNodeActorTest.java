package io.fedlink.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.ConfigFactory;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.ClientStatistics;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.CoordinatorMessage.ClientNodeReady;
import io.fedlink.protocol.CoordinatorMessage.ClientStatisticsReport;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.NodeMessage.EndTrial;
import io.fedlink.protocol.NodeMessage.ExperimentOver;
import io.fedlink.protocol.NodeMessage.SendStatistics;
import io.fedlink.protocol.NodeMessage.StartTrial;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A clients node against hostile peers, TestProbes playing the coordinator, the trial's scheduler
 * and monitor, and strangers: it obeys only what comes through the session it made for a
 * coordinator, refuses malformed trials, spawns only its own range, once per trial and session, and
 * survives a client that fails. Each test has its own actor system (the Receptionist lists every
 * coordinator of a system), with every message serialized on send.
 */
class ClientsNodeActorTest {

    private static final Experiment EXPERIMENT = new Experiment(6, 3, 1.0, SampleCounts.uniform(3, 6), 10, 3, 5L,
            SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 2, 1e-3, 1e-3),
                    new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, 2, 1e-3, 1e-3)));
    private static final int FIRST = 2;
    private static final int LAST = 3;
    private static final double[] OPTIMUM = {0.5, -1.0, 2.0};

    private ActorTestKit testKit;

    @BeforeEach
    void start() {
        testKit = ActorTestKit.create("ClientsNodeActorTest",
                ConfigFactory.parseString("pekko.actor.serialize-messages = on"));
    }

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    /** A node hosting clients 2..3 of 6, a coordinator it found, and the session it made for it. */
    private final class Rig {
        final CompletableFuture<String> finished = new CompletableFuture<>();
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final TestProbe<CoordinatorMessage> coordinator = coordinator();
        final ActorRef<NodeMessage> node;
        final ActorRef<NodeMessage> session;

        Rig() {
            this(ClientsNodeActor.CLIENT_ACTORS);
        }

        Rig(ClientsNodeActor.ClientFactory clients) {
            node = testKit.spawn(ClientsNodeActor.create(new ClientsNodeActor.Settings(EXPERIMENT, FIRST, LAST,
                    ClusterNode.federation(EXPERIMENT), Duration.ofHours(1), false),
                    blocking -> CompletableFuture.supplyAsync(() -> ClientsNodeData.generate(EXPERIMENT, FIRST, LAST),
                            blocking), finished, clients));
            session = announcedTo(coordinator);
        }

        TestProbe<CoordinatorMessage> coordinator() {
            final TestProbe<CoordinatorMessage> probe = testKit.createTestProbe(CoordinatorMessage.class);
            testKit.system().receptionist().tell(Receptionist.register(ClusterCoordinator.KEY, probe.getRef()));
            return probe;
        }

        /** The node announced itself to this coordinator: its session for it. */
        ActorRef<NodeMessage> announcedTo(TestProbe<CoordinatorMessage> probe) {
            final ClientNodeReady ready = probe.expectMessageClass(ClientNodeReady.class, Duration.ofSeconds(30));
            assertEquals(FIRST, ready.firstClient());
            assertEquals(LAST, ready.lastClient());
            return ready.node();
        }

        StartTrial trial(int key, TestProbe<SchedulerMessage> scheduler) {
            return new StartTrial(key, key % EXPERIMENT.trials(), "rerce", 1e-3, OPTIMUM, scheduler.getRef().narrow(),
                    monitor.getRef().narrow());
        }

        /** The node's clients register with this scheduler: exactly clients 2 and 3, their references. */
        List<ActorRef<ClientMessage>> registered(TestProbe<SchedulerMessage> scheduler) {
            final List<ActorRef<ClientMessage>> clients = new ArrayList<>();
            for (int k = FIRST; k <= LAST; k++) {
                final RegisterClient registration = scheduler.expectMessageClass(RegisterClient.class);
                assertEquals(k, registration.clientId(), "only the node's own range, in order");
                clients.add(registration.client());
            }
            return clients;
        }
    }

    private TestProbe<SchedulerMessage> scheduler() {
        return testKit.createTestProbe(SchedulerMessage.class);
    }

    @Test
    void instructionsNotFromASessionAreIgnored() {
        final Rig rig = new Rig();
        final TestProbe<SchedulerMessage> hostile = scheduler();
        final TestProbe<ClientStatisticsReport> hostileIntake = testKit.createTestProbe(ClientStatisticsReport.class);
        LoggingTestKit.warn("sent to the node itself, not through a coordinator's session").withOccurrences(4)
                .expect(testKit.system(), () -> {
                    rig.node.tell(rig.trial(0, hostile));
                    rig.node.tell(new SendStatistics(hostileIntake.getRef()));
                    rig.node.tell(new EndTrial(0));
                    rig.node.tell(new ExperimentOver("complete"));
                    return null;
                });
        final TestProbe<SchedulerMessage> honest = scheduler();
        rig.session.tell(rig.trial(0, honest));
        rig.registered(honest);
        // The node handles messages in order: anything the strangers caused would have come first.
        hostile.expectNoMessage(Duration.ZERO);
        hostileIntake.expectNoMessage(Duration.ZERO);
        assertFalse(rig.finished.isDone(), "a stranger cannot end the experiment for the node");
    }

    @Test
    void invalidStartTrialsAreRefusedAndAValidOneSpawnsOnlyTheNodesRange() {
        final Rig rig = new Rig();
        final TestProbe<SchedulerMessage> hostile = scheduler();
        final ActorRef<SchedulerMessage.RegisterClient> to = hostile.getRef().narrow();
        final ActorRef<DeviationReport> monitor = rig.monitor.getRef().narrow();
        final List<StartTrial> invalid = List.of(
                new StartTrial(6, 0, "rerce", 1e-3, OPTIMUM, to, monitor),               // key beyond 2 series x 3 trials
                new StartTrial(-1, 2, "rerce", 1e-3, OPTIMUM, to, monitor),
                new StartTrial(4, 2, "rerce", 1e-3, OPTIMUM, to, monitor),               // key 4 is trial 1
                new StartTrial(2, 2, "sgd", 1e-3, OPTIMUM, to, monitor),
                new StartTrial(2, 2, "rerce", 1e-3, new double[] {1, 2}, to, monitor),
                new StartTrial(2, 2, "rerce", 1e-3, new double[] {1, Double.NaN, 2}, to, monitor),
                new StartTrial(2, 2, "rerce", 1e-3, new double[] {1, Double.POSITIVE_INFINITY, 2}, to, monitor),
                new StartTrial(2, 2, "rerce", -1e-3, OPTIMUM, to, monitor),
                new StartTrial(2, 2, "rerce", Double.NaN, OPTIMUM, to, monitor),
                new StartTrial(2, 2, "rerce", Double.POSITIVE_INFINITY, OPTIMUM, to, monitor),
                new StartTrial(3, 0, "rerce", 1e-3, OPTIMUM, to, monitor),               // key 3 is rerce-continual's
                new StartTrial(2, 2, "rerce", 2e-3, OPTIMUM, to, monitor));              // not this node's variance
        // (A StartTrial without a scheduler cannot even be sent: the wire format refuses null references.)
        LoggingTestKit.warn("a StartTrial refused").withOccurrences(invalid.size()).expect(testKit.system(), () -> {
            invalid.forEach(rig.session::tell);
            return null;
        });
        final TestProbe<SchedulerMessage> honest = scheduler();
        rig.session.tell(rig.trial(2, honest));
        rig.registered(honest);
        // The signal, not a wait: the node registers a trial's clients itself, while it handles the
        // StartTrial, and handles messages in order; a registration any invalid StartTrial caused would
        // already be in the hostile probe's queue. (It also registers exactly the node's range, above.)
        hostile.expectNoMessage(Duration.ZERO);
        final java.util.Set<Integer> reported = new java.util.TreeSet<>();
        for (int k = FIRST; k <= LAST; k++) {
            final DeviationReport first = rig.monitor.expectMessageClass(DeviationReport.class);
            assertEquals(0, first.firstRound(), "each spawned client reports its start");
            reported.add(first.clientId());
        }
        assertEquals(java.util.Set.of(FIRST, LAST), reported, "the start reports come from the node's own clients");
    }

    @Test
    void aSessionStartsEachTrialOnce() {
        final Rig rig = new Rig();
        final TestProbe<SchedulerMessage> first = scheduler();
        rig.session.tell(rig.trial(1, first));
        final List<ActorRef<ClientMessage>> clients = rig.registered(first);
        rig.session.tell(rig.trial(1, first));                     // told twice while it runs: nothing new
        rig.session.tell(new EndTrial(1));
        clients.forEach(first::expectTerminated);
        final TestProbe<SchedulerMessage> again = scheduler();
        LoggingTestKit.warn("has already run here for this coordinator").expect(testKit.system(), () -> {
            rig.session.tell(rig.trial(1, again));
            return null;
        });
        final TestProbe<SchedulerMessage> next = scheduler();
        rig.session.tell(rig.trial(2, next));
        rig.registered(next);
        // The node registers clients itself, in message order: trial 2's registrations are the signal
        // that the repeated StartTrials were handled, and left nothing in these queues.
        again.expectNoMessage(Duration.ZERO);
        first.expectNoMessage(Duration.ZERO);
    }

    @Test
    void aNewCoordinatorMayRerunATrialAndItsRunReplacesTheOld() {
        final Rig rig = new Rig();
        final TestProbe<SchedulerMessage> before = scheduler();
        rig.session.tell(rig.trial(1, before));
        final List<ActorRef<ClientMessage>> oldRun = rig.registered(before);

        // The server restarts: a new coordinator is listed, the old one is not.
        final TestProbe<CoordinatorMessage> restarted = rig.coordinator();
        testKit.system().receptionist().tell(Receptionist.deregister(ClusterCoordinator.KEY, rig.coordinator.getRef()));
        final ActorRef<NodeMessage> newSession = rig.announcedTo(restarted);
        assertNotEquals(rig.session, newSession, "a new coordinator gets a new session");
        oldRun.forEach(before::expectTerminated);                   // the old coordinator's trial is over
        before.expectTerminated(rig.session);                       // and its session is stopped

        final TestProbe<SchedulerMessage> stale = scheduler();
        rig.session.tell(rig.trial(2, stale));                      // through the ended session: not obeyed
        final TestProbe<SchedulerMessage> rerun = scheduler();
        newSession.tell(rig.trial(1, rerun));
        rig.registered(rerun);
        // Signal-based, not timing: the stale StartTrial went to a session already stopped (dead letters),
        // so nothing it could start can ever reach this scheduler.
        stale.expectNoMessage(Duration.ZERO);
    }

    @Test
    void clientThatFailsIsLoggedAndTheNodeGoesOn() {
        final ClientsNodeActor.ClientFactory clients = (algorithm, constants, start) -> constants.clientId() != 3
                ? ClientsNodeActor.CLIENT_ACTORS.client(algorithm, constants, start)
                : Behaviors.receive(ClientMessage.class).onAnyMessage(m -> {
                    throw new IllegalStateException("a rule that throws");
                }).build();
        final Rig rig = new Rig(clients);
        final TestProbe<SchedulerMessage> scheduler = scheduler();
        rig.session.tell(rig.trial(1, scheduler));
        final List<ActorRef<ClientMessage>> spawned = rig.registered(scheduler);
        LoggingTestKit.error("client 3 of trial 1 failed: java.lang.IllegalStateException: a rule that throws")
                .expect(testKit.system(), () -> {
                    spawned.get(1).tell(new ClientMessage.FinishTrial(10));
                    return null;
                });
        scheduler.expectTerminated(spawned.get(1));                 // what the trial's death watch sees

        final TestProbe<SchedulerMessage> next = scheduler();
        rig.session.tell(rig.trial(2, next));
        rig.registered(next);                                       // the node goes on
        spawned.get(0).tell(new ClientMessage.FinishTrial(10));    // and so does the failed one's neighbour
        rig.monitor.fishForMessage(Duration.ofSeconds(30), m -> m instanceof DeviationReport r && r.clientId() == 2
                && r.firstRound() == 1 ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    }

    @Test
    void statisticsGoOnlyToTheSessionsIntakeAndOnlyOnce() {
        final Rig rig = new Rig();
        final TestProbe<ClientStatisticsReport> intake = testKit.createTestProbe(ClientStatisticsReport.class);
        rig.session.tell(new SendStatistics(intake.getRef()));
        final ClientStatistics[] expected = ClientsNodeData.generate(EXPERIMENT, FIRST, LAST).statistics();
        for (ClientStatistics s : expected) {
            final ClientStatisticsReport report = intake.expectMessageClass(ClientStatisticsReport.class);
            assertEquals(s.clientId(), report.clientId());
            assertArrayEquals(s.gram(), report.gram(), 0.0);
            assertArrayEquals(s.moment(), report.moment(), 0.0);
        }
        final TestProbe<ClientStatisticsReport> second = testKit.createTestProbe(ClientStatisticsReport.class);
        rig.session.tell(new SendStatistics(second.getRef()));
        final TestProbe<SchedulerMessage> scheduler = scheduler();
        rig.session.tell(rig.trial(0, scheduler));
        rig.registered(scheduler);
        // The node sends statistics itself while it handles SendStatistics, in message order: the
        // trial's registrations are the signal that the second request was handled.
        second.expectNoMessage(Duration.ZERO);
        intake.expectNoMessage(Duration.ZERO);
        rig.coordinator.expectNoMessage(Duration.ZERO);           // statistics never go to the coordinator itself
    }
}
