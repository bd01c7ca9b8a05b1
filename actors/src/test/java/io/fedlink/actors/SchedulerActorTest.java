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
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The scheduler polls exactly C distinct registered clients, never a stopped or unregistered one. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerActorTest {

    /** Every message is serialized and deserialized on send, as if it crossed the network. */
    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder()
            .withCustomConfig(ConfigFactory.parseString("pekko.actor.serialize-messages = on")).build();

    private final class Rig {
        final TestProbe<ServerMessage> server = testKit.createTestProbe(ServerMessage.class);
        final TestProbe<MonitorMessage> monitor = testKit.createTestProbe(MonitorMessage.class);
        final List<TestProbe<ClientMessage>> clients = new ArrayList<>();
        final ActorRef<SchedulerMessage> scheduler;

        Rig(int selected, int rounds, int quorum, FederatedAlgorithm.StartUp startUp) {
            scheduler = testKit.spawn(SchedulerActor.create(new UniformScheduler(selected), new RandomStream(42L),
                    startUp, rounds, quorum, server.getRef(), monitor.getRef()));
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

        void close(RoundPlan plan) {
            scheduler.tell(new RoundClosed(plan.round(), plan.polled().length, plan.polled().length, new int[0]));
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
            assertEquals(3, plan.polled().length);
            assertEquals(3, Arrays.stream(plan.polled()).distinct().count());
            assertTrue(Arrays.stream(plan.polled()).allMatch(k -> k >= 0 && k < 8));
            for (int i = 0; i < plan.polled().length; i++) {
                assertEquals(rig.clients.get(plan.polled()[i]).getRef(), plan.clients().get(i));
            }
            rig.close(plan);
        }
        // After round T: every client is told the trial ended, and so is the monitor.
        for (TestProbe<ClientMessage> client : rig.clients) {
            assertEquals(30, client.expectMessageClass(FinishTrial.class).lastRound());
        }
        assertEquals(30, rig.monitor.expectMessageClass(TrialEnded.class).lastRound());
        rig.server.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void waitsForQuorumAndStartsWithEveryClientWhenTheAlgorithmDoes() {
        final Rig rig = new Rig(2, 3, 4, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        for (int k = 0; k < 3; k++) {
            rig.register(k);
        }
        rig.server.expectNoMessage(Duration.ofMillis(100));
        rig.register(3);
        assertArrayEquals(new int[] {0, 1, 2, 3}, rig.nextPlan().polled());
    }

    @Test
    void neverPollsAStoppedOrUnregisteredClient() {
        final Rig rig = new Rig(4, 40, 5, FederatedAlgorithm.StartUp.SCHEDULED_CLIENTS);
        for (int k = 0; k < 5; k++) {
            rig.register(k);
        }
        RoundPlan plan = rig.nextPlan();
        rig.clients.get(2).stop();
        // Let the scheduler see the termination before it plans again.
        rig.server.expectNoMessage(Duration.ofMillis(200));
        rig.close(plan);
        for (int round = 1; round <= 40; round++) {
            plan = rig.nextPlan();
            final int[] polled = plan.polled();
            assertFalse(Arrays.stream(polled).anyMatch(k -> k == 2), "stopped client 2 polled in round " + round);
            assertEquals(4, polled.length, "C = 4 of the 4 still available");
            rig.close(plan);
        }
        final TrialEnded ended = rig.monitor.expectMessageClass(TrialEnded.class);
        assertArrayEquals(new int[] {2}, ended.stoppedClients());
    }

    @Test
    void lateJoinerIsPolledOnceRegistered() {
        final Rig rig = new Rig(3, 10, 3, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        for (int k = 0; k < 3; k++) {
            rig.register(k);
        }
        RoundPlan plan = rig.nextPlan();
        assertArrayEquals(new int[] {0, 1, 2}, plan.polled());
        rig.register(7);
        rig.close(plan);
        boolean polledLateJoiner = false;
        for (int round = 1; round <= 10; round++) {
            plan = rig.nextPlan();
            polledLateJoiner |= Arrays.stream(plan.polled()).anyMatch(k -> k == 7);
            rig.close(plan);
        }
        assertTrue(polledLateJoiner, "client 7 registered after round 0 and was never polled in 10 rounds of 3 of 4");
    }

    @Test
    void closureOfAnotherRoundIsIgnored() {
        final Rig rig = new Rig(1, 5, 1, FederatedAlgorithm.StartUp.ALL_CLIENTS);
        rig.register(0);
        final RoundPlan plan = rig.nextPlan();
        rig.scheduler.tell(new RoundClosed(plan.round() + 3, 1, 1, new int[0]));
        rig.server.expectNoMessage(Duration.ofMillis(100));
        rig.close(plan);
        assertEquals(1, rig.nextPlan().round());
    }
}
