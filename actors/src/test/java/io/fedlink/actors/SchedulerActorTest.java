package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.schedule.UniformScheduler;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.FinishTrial;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.TrialEnded;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.RoundPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler polls exactly C distinct registered clients, never a stopped or unregistered one, and
 * only its server closes a round. Nothing here waits on the wall clock: the tests wait for the
 * scheduler's own signals (its plans, its log) and move time by hand.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerActorTest {

    /** Every message is serialized and deserialized on send, as if it crossed the network. */
    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config()
            .withFallback(ConfigFactory.parseString("pekko.actor.serialize-messages = on"))).build();

    private static final Duration QUORUM_TIMEOUT = Duration.ofSeconds(30);

    private final class Rig {
        final TestProbe<ServerMessage> server = testKit.createTestProbe(ServerMessage.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final List<TestProbe<ClientMessage>> clients = new ArrayList<>();
        final ActorRef<SchedulerMessage> scheduler;

        Rig(SchedulerActor.Settings settings) {
            scheduler = testKit.spawn(SchedulerActor.create(settings, server.getRef(), monitor.getRef()));
        }

        Rig(int selected, int rounds, int clientCount, FederatedAlgorithm.StartUp startUp) {
            this(SchedulerActor.Settings.lockstep(new UniformScheduler(selected), new RandomStream(42L), startUp, rounds,
                    clientCount, QUORUM_TIMEOUT));
        }

        TestProbe<ClientMessage> register(int clientId) {
            final TestProbe<ClientMessage> probe = testKit.createTestProbe(ClientMessage.class);
            while (clients.size() <= clientId) {
                clients.add(null);
            }
            clients.set(clientId, probe);
            scheduler.tell(new RegisterClient(clientId, probe.getRef()));
            return probe;
        }

        RoundPlan nextPlan() {
            return server.expectMessageClass(RoundPlan.class);
        }

        /** The server closes the plan's round, through the reference the plan gave it. */
        void close(RoundPlan plan) {
            plan.replyTo().tell(new RoundClosed(plan.round(), plan.clientIds().length, plan.clientIds().length, new int[0]));
        }
    }

    @Test
    void pollsExactlyCDistinctRegisteredClientsEveryRound() {
        final Rig rig = new Rig(3, 30, 8, FederatedAlgorithm.StartUp.SCHEDULED_CLIENTS);
        for (int k = 0; k < 8; k++) {
            rig.register(k);
        }
        for (int round = 0; round <= 30; round++) {
            final RoundPlan plan = rig.nextPlan();
            assertEquals(round, plan.round());
            assertEquals(3, plan.clientIds().length);
            assertEquals(3, Arrays.stream(plan.clientIds()).distinct().count());
            assertTrue(Arrays.stream(plan.clientIds()).allMatch(k -> k >= 0 && k < 8));
            for (int i = 0; i < plan.clientIds().length; i++) {
                assertEquals(rig.clients.get(plan.clientIds()[i]).getRef(), plan.clients().get(i));
            }
            rig.close(plan);
        }
        // After round T: every client is told the trial ended, and so is the monitor.
        for (TestProbe<ClientMessage> client : rig.clients) {
            assertEquals(30, client.expectMessageClass(FinishTrial.class).lastRound());
        }
        final TrialEnded ended = rig.monitor.expectMessageClass(TrialEnded.class);
        assertEquals(30, ended.lastRound());
        assertEquals(0, ended.absentClients().length);
    }

    @Test
    void waitsForQuorumAndStartsWithEveryClientWhenTheAlgorithmDoes() {
        final Rig rig = new Rig(2, 3, 4, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        for (int k = 0; k < 4; k++) {
            rig.register(k);
        }
        // Had it started before the fourth registration, its first plan would lack client 3.
        assertArrayEquals(new int[] {0, 1, 2, 3}, rig.nextPlan().clientIds());
    }

    @Test
    void aOneJvmTrialRegistersItsClientsInOneMessage() {
        final Rig rig = new Rig(2, 3, 4, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        final List<ActorRef<ClientMessage>> spawned = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            rig.clients.add(testKit.createTestProbe(ClientMessage.class));
            spawned.add(rig.clients.get(k).getRef());
        }
        rig.scheduler.tell(new SchedulerActor.LocalClients(spawned));
        final RoundPlan start = rig.nextPlan();
        assertArrayEquals(new int[] {0, 1, 2, 3}, start.clientIds());
        assertEquals(spawned, start.clients());
        rig.close(start);
        for (int round = 1; round <= 3; round++) {
            final RoundPlan plan = rig.nextPlan();
            assertEquals(2, Arrays.stream(plan.clientIds()).distinct().count());
            rig.close(plan);
        }
        for (TestProbe<ClientMessage> client : rig.clients) {
            assertEquals(3, client.expectMessageClass(FinishTrial.class).lastRound());
        }
        assertEquals(0, rig.monitor.expectMessageClass(TrialEnded.class).absentClients().length);
    }

    @Test
    void clientsThatNeverRegisterFailTheTrialInOneJvm() {
        final ManualTime time = ManualTime.get(testKit.system());
        final Rig rig = new Rig(2, 3, 4, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        rig.register(0);
        rig.register(1);
        LoggingTestKit.error(IllegalStateException.class).withMessageContains("2 of 4 expected clients registered")
                .expect(testKit.system(), () -> {
                    time.timePasses(QUORUM_TIMEOUT.plusMillis(1));
                    return null;
                });
        rig.server.expectTerminated(rig.scheduler);
    }

    @Test
    void clusterTrialStartsWithTheClientsThatCameAndCallsTheRestAbsent() {
        final ManualTime time = ManualTime.get(testKit.system());
        final Rig rig = new Rig(SchedulerActor.Settings.lockstep(new UniformScheduler(2), new RandomStream(42L),
                FederatedAlgorithm.StartUp.ALL_CLIENTS, 0, 5, QUORUM_TIMEOUT).startingWithoutStragglers(5));
        rig.register(1);
        rig.register(3);
        time.timePasses(QUORUM_TIMEOUT.plusMillis(1));
        final RoundPlan start = rig.nextPlan();
        assertArrayEquals(new int[] {1, 3}, start.clientIds());
        rig.close(start);
        assertArrayEquals(new int[] {0, 2, 4}, rig.monitor.expectMessageClass(TrialEnded.class).absentClients());
    }

    @Test
    void neverPollsAStoppedOrUnregisteredClient() {
        final Rig rig = new Rig(4, 40, 5, FederatedAlgorithm.StartUp.SCHEDULED_CLIENTS);
        for (int k = 0; k < 5; k++) {
            rig.register(k);
        }
        final RoundPlan first = rig.nextPlan();
        // Wait for the scheduler to have seen the termination, then let it plan again.
        LoggingTestKit.info("client 2 stopped").expect(testKit.system(), () -> {
            rig.clients.get(2).stop();
            return null;
        });
        // The server watches no client: the scheduler tells it, so that it drops client 2 from an open round.
        assertEquals(new ClientStopped(2), rig.server.expectMessageClass(ClientStopped.class));
        rig.close(first);
        for (int round = 1; round <= 40; round++) {
            final RoundPlan plan = rig.nextPlan();
            final int[] polled = plan.clientIds();
            assertFalse(Arrays.stream(polled).anyMatch(k -> k == 2), "stopped client 2 polled in round " + round);
            assertEquals(4, polled.length, "C = 4 of the 4 still available");
            rig.close(plan);
        }
        final TrialEnded ended = rig.monitor.expectMessageClass(TrialEnded.class);
        assertArrayEquals(new int[] {2}, ended.stoppedClients());
    }

    @Test
    void lateJoinerIsPolledOnceRegistered() {
        // A cluster trial of 5 clients that starts once 3 have come.
        final Rig rig = new Rig(SchedulerActor.Settings.lockstep(new UniformScheduler(3), new RandomStream(42L),
                FederatedAlgorithm.StartUp.ALL_CLIENTS, 10, 5, QUORUM_TIMEOUT).startingWithoutStragglers(3));
        for (int k = 0; k < 3; k++) {
            rig.register(k);
        }
        RoundPlan plan = rig.nextPlan();
        assertArrayEquals(new int[] {0, 1, 2}, plan.clientIds());
        rig.register(4);
        rig.close(plan);
        boolean polledLateJoiner = false;
        for (int round = 1; round <= 10; round++) {
            plan = rig.nextPlan();
            polledLateJoiner |= Arrays.stream(plan.clientIds()).anyMatch(k -> k == 4);
            rig.close(plan);
        }
        assertTrue(polledLateJoiner, "client 4 registered after round 0 and was never polled in 10 rounds of 3 of 4");
    }

    @Test
    void registrationOutsideTheFederationIsRefused() {
        final Rig rig = new Rig(1, 2, 2, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        LoggingTestKit.warn("registration for client 7 refused").expect(testKit.system(), () -> {
            rig.register(7);
            return null;
        });
        rig.register(0);
        rig.register(1);
        assertArrayEquals(new int[] {0, 1}, rig.nextPlan().clientIds());
    }

    @Test
    void closureOfAnotherRoundIsIgnored() {
        final Rig rig = new Rig(1, 5, 1, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        rig.register(0);
        final RoundPlan plan = rig.nextPlan();
        LoggingTestKit.warn("round 3 closed, but round 0 was planned").expect(testKit.system(), () -> {
            plan.replyTo().tell(new RoundClosed(plan.round() + 3, 1, 1, new int[0]));
            return null;
        });
        rig.close(plan);
        assertEquals(1, rig.nextPlan().round());
    }

    @Test
    void onlyTheServerClosesARound() {
        final Rig rig = new Rig(1, 5, 1, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        rig.register(0);
        final RoundPlan plan = rig.nextPlan();
        // A peer holding the scheduler's own reference (every client does, to register) closes round 0.
        LoggingTestKit.warn("did not come from this trial's server").expect(testKit.system(), () -> {
            rig.scheduler.tell(new RoundClosed(0, 1, 1, new int[0]));
            return null;
        });
        // Had it been taken, plan 1 would already be out; the server's own closure would then be
        // ignored and the trial stalled. The first plan after the real closure is round 1.
        rig.close(plan);
        final RoundPlan next = rig.nextPlan();
        assertEquals(1, next.round());
        rig.close(next);
        assertEquals(2, rig.nextPlan().round());
    }

    @Test
    void freeRunningSchedulerPlansOneRoundPerPeriodOnItsOwnClock() {
        final ManualTime time = ManualTime.get(testKit.system());
        final Duration period = Duration.ofMillis(4);
        final Rig rig = new Rig(SchedulerActor.Settings.lockstep(new UniformScheduler(1), new RandomStream(3L),
                FederatedAlgorithm.StartUp.ALL_CLIENTS, 3, 2, QUORUM_TIMEOUT).pacedEvery(period));
        rig.register(0);
        rig.register(1);
        final RoundPlan start = rig.nextPlan();
        rig.close(start);
        for (int round = 1; round <= 3; round++) {
            time.expectNoMessageFor(period.minusMillis(1), rig.server);
            time.timePasses(Duration.ofMillis(1));
            assertEquals(round, rig.nextPlan().round(), "one plan per period, whether or not the last round closed");
        }
        time.timePasses(period);
        final RoundPlan last = rig.nextPlan();
        assertEquals(4, last.round(), "after round T an empty plan makes the server aggregate round T");
        assertEquals(0, last.clientIds().length);
        time.expectNoMessageFor(period.multipliedBy(3), rig.server);
    }
}
