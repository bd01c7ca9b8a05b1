package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.engine.TrialWiring;
import io.fedlink.core.link.AdditiveGaussianChannel;
import io.fedlink.core.link.LinkNoise;
import io.fedlink.core.random.RandomStream;
import io.fedlink.core.random.StreamKeys;
import io.fedlink.core.random.StreamPurpose;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.FinishTrial;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.LocalModel;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The decorator adds each link's noise of the configured variance, and nothing else. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoisyMailboxTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    /** Forwards whatever the decorated actor receives to a probe. */
    private static <T> Behavior<T> relay(TestProbe<T> probe) {
        return Behaviors.receiveMessage(msg -> {
            probe.getRef().tell(msg);
            return Behaviors.same();
        });
    }

    @Test
    void addsNoiseOfTheConfiguredVarianceAndLeavesTheSendersArrayAlone() {
        final double variance = 6.25e-4;
        final int dimension = 20_000;
        final TestProbe<ClientMessage> probe = testKit.createTestProbe(ClientMessage.class);
        final ActorRef<ClientMessage> client = testKit.spawn(NoisyMailbox.downlink(ClientMessage.class, dimension,
                () -> TrialWiring.downlink(9L, 0, 3, new AdditiveGaussianChannel(variance)), relay(probe)));
        final double[] sent = new double[dimension];
        java.util.Arrays.fill(sent, 1.0);
        final GlobalModel original = new GlobalModel(1, 77L, sent, null);
        client.tell(original);
        final GlobalModel received = probe.expectMessageClass(GlobalModel.class);

        assertNotSame(original, received);
        assertEquals(77L, received.poll(), "the poll id is not the channel's to change");
        assertNotSame(sent, received.vector());
        for (double v : sent) {
            assertEquals(1.0, v, 0.0, "the sender's array must not change");
        }
        double sum = 0;
        double squares = 0;
        for (double v : received.vector()) {
            sum += v - 1.0;
            squares += (v - 1.0) * (v - 1.0);
        }
        final double mean = sum / dimension;
        final double sampleVariance = squares / dimension - mean * mean;
        // Sample variance of n Gaussians has standard deviation variance * sqrt(2 / n) (~1%): allow 5 sigma.
        assertEquals(variance, sampleVariance, 5 * variance * Math.sqrt(2.0 / dimension));
        assertEquals(0.0, mean, 5 * Math.sqrt(variance / dimension));

        // The noise is that link's own stream: (seed 9, trial 0, downlink, client 3), drawn in order.
        final RandomStream stream = StreamKeys.stream(9L, 0, StreamPurpose.DOWNLINK_NOISE, 3);
        final double[] expected = new double[dimension];
        new AdditiveGaussianChannel(variance).deliver(sent, expected, stream);
        assertArrayEquals(expected, received.vector(), 0.0);
    }

    @Test
    void otherMessagesPassUntouched() {
        final TestProbe<ClientMessage> probe = testKit.createTestProbe(ClientMessage.class);
        final ActorRef<ClientMessage> client = testKit.spawn(NoisyMailbox.downlink(ClientMessage.class, 4,
                () -> TrialWiring.downlink(1L, 0, 0, new AdditiveGaussianChannel(1.0)), relay(probe)));
        final FinishTrial finish = new FinishTrial(7);
        client.tell(finish);
        assertSame(finish, probe.expectMessageClass(FinishTrial.class));
        final GlobalModel wrongLength = new GlobalModel(1, 5L, new double[] {1, 2, 3}, null);
        client.tell(wrongLength);
        assertSame(wrongLength, probe.expectMessageClass(GlobalModel.class), "left for the actor to reject");
    }

    @Test
    void serverSideUsesEachClientsUplinkStream() {
        final TestProbe<ServerMessage> probe = testKit.createTestProbe(ServerMessage.class);
        final LinkNoise noise = LinkNoise.perClient(new double[] {1e-2, 0.0, 4e-2}, new double[] {0, 0, 0});
        final ActorRef<ServerMessage> server = testKit.spawn(NoisyMailbox.uplinks(3, new TrialWiring(5L, 2, noise),
                relay(probe)));
        final double[] vector = {1, 2, 3};
        server.tell(new Upload.Admitted(new LocalModel(1, 2, 0L, vector)));
        server.tell(new Upload.Admitted(new LocalModel(1, 1, 0L, vector)));
        server.tell(new Upload.Admitted(new LocalModel(1, 9, 0L, vector)));
        final LocalModel raw = new LocalModel(1, 2, 0L, vector);
        server.tell(raw);                                            // not admitted: untouched, no draw                   // no such client: untouched
        final double[] fromTwo = probe.expectMessageClass(Upload.Admitted.class).upload().vector();
        final double[] fromOne = probe.expectMessageClass(Upload.Admitted.class).upload().vector();
        final Upload.Admitted unknown = probe.expectMessageClass(Upload.Admitted.class);
        assertSame(raw, probe.expectMessageClass(LocalModel.class));

        final double[] expected = new double[3];
        new AdditiveGaussianChannel(4e-2).deliver(vector, expected,
                StreamKeys.stream(5L, 2, StreamPurpose.UPLINK_NOISE, 2));
        assertArrayEquals(expected, fromTwo, 0.0);
        assertArrayEquals(vector, fromOne, 0.0, "a noiseless uplink delivers the vector unchanged");
        assertNotSame(vector, fromOne);
        assertSame(vector, unknown.upload().vector());
        assertTrue(vector[0] == 1 && vector[1] == 2 && vector[2] == 3);
    }
}
