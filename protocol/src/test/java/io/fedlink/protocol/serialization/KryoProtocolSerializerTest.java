package io.fedlink.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.FedlinkMessage;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.ServerMessage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every protocol message round-trips through the configured serializer; hostile payloads are refused. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KryoProtocolSerializerTest {

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    /** Counts instances, to show that a refused payload instantiates nothing. */
    public static final class Intruder implements FedlinkMessage {
        static final AtomicInteger CREATED = new AtomicInteger();
        public int value = 42;

        public Intruder() {
            CREATED.incrementAndGet();
        }
    }

    private Serialization serialization() {
        return SerializationExtension.get(Adapter.toClassic(testKit.system()));
    }

    private Object roundTrip(Object message) {
        final Serialization serialization = serialization();
        final Serializer serializer = serialization.findSerializerFor(message);
        assertEquals(KryoProtocolSerializer.IDENTIFIER, serializer.identifier(), "bound to the protocol's marker");
        final byte[] bytes = serialization.serialize(message).get();
        return serialization.deserialize(bytes, serializer.identifier(), "").get();
    }

    private Stream<FedlinkMessage> everyMessage(ActorRef<ClientMessage> client, ActorRef<ServerMessage> server,
                                                ActorRef<SchedulerMessage> scheduler) {
        return Stream.of(
                new ClientMessage.StartUp(0x5eed_f00dL, server.unsafeUpcast()),
                new ClientMessage.GlobalModel(3, -42L, new double[] {1.5, -2.25, Double.MIN_VALUE, 1e300}, server.unsafeUpcast()),
                new ClientMessage.FinishTrial(500),
                new ServerMessage.RoundPlan(7, new int[] {2, 5}, List.of(client, client), scheduler.unsafeUpcast()),
                new ServerMessage.LocalModel(7, 5, Long.MIN_VALUE, new double[] {Math.PI, -0.0, Double.NaN}),
                new SchedulerMessage.RegisterClient(99, client),
                new SchedulerMessage.RoundClosed(7, 2, 1, new int[] {5}),
                new MonitorMessage.DeviationReport(5, 3, new double[] {0.1, 0.2}),
                new MonitorMessage.DeviationSample(5, 0.125),
                new MonitorMessage.RoundReport(7, 2, 1, new int[] {5}, 3),
                new MonitorMessage.TrialEnded(500, new int[] {1, 4}, new int[] {7}),
                new NodeMessage.StartTrial(12, 3, "rerce-continual", 6.25e-4, new double[] {0.5, -1},
                        scheduler.unsafeUpcast(), null),
                new NodeMessage.EndTrial(12),
                new NodeMessage.ExperimentOver("done"),
                new CoordinatorMessage.ClientStatisticsReport(4, new double[] {1, 2, 2, 5}, new double[] {3, 4}, 1e4),
                new CoordinatorMessage.ClientNodeReady(50, 99, "seed=1 K=100", null));
    }

    @Test
    void everyMessageRoundTrips() {
        final TestProbe<ClientMessage> client = testKit.createTestProbe(ClientMessage.class);
        final TestProbe<ServerMessage> server = testKit.createTestProbe(ServerMessage.class);
        final TestProbe<SchedulerMessage> scheduler = testKit.createTestProbe(SchedulerMessage.class);
        everyMessage(client.getRef(), server.getRef(), scheduler.getRef()).forEach(message -> {
            final Object back = roundTrip(message);
            assertInstanceOf(message.getClass(), back);
            // Records with arrays compare arrays by identity: compare their text with arrays expanded.
            assertEquals(describe(message), describe(back), message.getClass().getSimpleName());
        });
        final ClientMessage.GlobalModel poll = (ClientMessage.GlobalModel) roundTrip(
                new ClientMessage.GlobalModel(1, 7L, new double[] {-0.0, Double.NaN}, server.getRef().unsafeUpcast()));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(poll.vector()[0]), "bit for bit");
        assertTrue(Double.isNaN(poll.vector()[1]));
        assertEquals(server.getRef(), poll.replyTo(), "the actor reference resolves to the same actor");
        assertNull(((ClientMessage.StartUp) roundTrip(new ClientMessage.StartUp(1L, null))).replyTo());
    }

    private static String describe(Object record) {
        final StringBuilder b = new StringBuilder(record.getClass().getSimpleName()).append('(');
        for (var component : record.getClass().getRecordComponents()) {
            try {
                final Object value = component.getAccessor().invoke(record);
                b.append(component.getName()).append('=');
                if (value instanceof double[] d) {
                    b.append(Arrays.toString(Arrays.stream(d).mapToLong(Double::doubleToRawLongBits).toArray()));
                } else if (value instanceof int[] i) {
                    b.append(Arrays.toString(i));
                } else {
                    b.append(value);
                }
                b.append(';');
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.append(')').toString();
    }

    @Test
    void payloadNamingAnUnregisteredClassIsRefusedAndNothingIsInstantiated() {
        final Kryo permissive = new Kryo();
        permissive.setRegistrationRequired(false);
        final Output out = new Output(256, -1);
        permissive.writeClassAndObject(out, new Intruder());
        final byte[] crafted = out.toBytes();
        Intruder.CREATED.set(0);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(crafted, null));
        assertTrue(refused.getMessage().contains("only registered Fedlink protocol messages"), refused.getMessage());
        assertEquals(0, Intruder.CREATED.get(), "the named class must never be instantiated");

        // An unregistered class id is refused as well.
        final byte[] unknownId = {(byte) 250, 7};
        assertThrows(IllegalArgumentException.class, () -> serializer().fromBinaryJava(unknownId, null));
        // And an unregistered class is never written.
        assertThrows(IllegalArgumentException.class, () -> serializer().toBinary(new Intruder()));
    }

    private KryoProtocolSerializer serializer() {
        return new KryoProtocolSerializer((org.apache.pekko.actor.ExtendedActorSystem) Adapter.toClassic(testKit.system()));
    }

    @Test
    void truncatedPayloadIsRefused() {
        final byte[] whole = serializer().toBinary(new ServerMessage.LocalModel(3, 1, 9L, new double[] {1, 2, 3, 4}));
        for (int cut = 0; cut < whole.length; cut++) {
            final byte[] truncated = Arrays.copyOf(whole, cut);
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> serializer().fromBinaryJava(truncated, null), "cut at " + cut);
            assertTrue(refused.getMessage().startsWith("refused a Fedlink message of " + cut + " bytes"));
        }
        final byte[] trailing = Arrays.copyOf(whole, whole.length + 3);
        assertThrows(IllegalArgumentException.class, () -> serializer().fromBinaryJava(trailing, null));
    }

    @Test
    void oversizedVectorLengthIsRefusedBeforeAllocation() {
        final byte[] whole = serializer().toBinary(new ServerMessage.LocalModel(3, 1, 9L, new double[] {1}));
        // Layout: class id, round, client id, then the vector length (varint) and the doubles.
        final Output forged = new Output(64, -1);
        forged.write(whole, 0, 3);
        forged.writeVarInt(Integer.MAX_VALUE, true);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(forged.toBytes(), null));
        assertTrue(refused.getMessage().contains("local model vector of length " + Integer.MAX_VALUE + " refused"),
                refused.getMessage());
    }

    @Test
    void declaredSizesBeyondThePayloadAreRefusedBeforeAllocating() {
        final byte[] whole = serializer().toBinary(new ServerMessage.LocalModel(3, 1, 9L, new double[] {1}));
        // An 8-byte frame that declares 16 million doubles (128 MB): refused from the remaining size.
        final Output vector = new Output(64, -1);
        vector.write(whole, 0, 3);
        vector.writeVarInt(16_000_000, true);
        final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(vector.toBytes(), null));
        assertTrue(tooLong.getMessage().contains("declares 128000000 bytes but the payload holds 0"),
                tooLong.getMessage());

        // A StartUp frame whose actor path declares two billion characters.
        final byte[] startUp = serializer().toBinary(new ClientMessage.StartUp(1L, null));
        final Output text = new Output(64, -1);
        text.write(startUp, 0, startUp.length - 1);              // the class id, without the null marker
        text.writeVarInt(2_000_000_000, true);
        final IllegalArgumentException hugeText = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(text.toBytes(), null));
        assertTrue(hugeText.getMessage().contains("refused: the limit is 65536"), hugeText.getMessage());
    }

    @Test
    void payloadThatIsNotAProtocolMessageIsRefused() {
        final Kryo plain = new Kryo();
        final Output out = new Output(16, -1);
        plain.writeClassAndObject(out, 5);                       // Kryo's own registration of Integer
        assertThrows(IllegalArgumentException.class, () -> serializer().fromBinaryJava(out.toBytes(), null));
        final Output nothing = new Output(16, -1);
        plain.writeClassAndObject(nothing, null);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(nothing.toBytes(), null));
        assertTrue(refused.getMessage().contains("not a Fedlink protocol message"), refused.getMessage());
    }
}
