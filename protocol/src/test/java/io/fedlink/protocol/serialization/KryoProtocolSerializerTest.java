package io.fedlink.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.apache.pekko.actor.typed.ActorRefResolver;
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
                new ServerMessage.LocalModel(7, 5, 3L, new int[] {0, 4}, new double[][] {{1, 2}, {Double.NaN, -0.0}},
                        new int[] {2, 3}),
                new ClientMessage.GlobalModel(8, 1L, new int[] {1, 2, 9}, new double[][] {{1}, {2}, {}},
                        server.unsafeUpcast()),
                new ClientMessage.StartUp(4L, new int[] {0, 5}, server.unsafeUpcast()),
                new ServerMessage.RoundPlan(7, new int[] {2, 5}, List.of(client, client), new int[][] {{5}, {}, {2, 5}},
                        scheduler.unsafeUpcast()),
                new MonitorMessage.RoundReport(4, 7, 2, 1, new int[] {5}, 3, 1, 0),
                new SchedulerMessage.RegisterClient(99, client),
                new SchedulerMessage.RoundClosed(7, 2, 1, new int[] {5}),
                new MonitorMessage.DeviationReport(5, 3, new double[] {0.1, 0.2}),
                new MonitorMessage.DeviationSample(5, 0.125),
                new MonitorMessage.RoundReport(7, 2, 1, new int[] {5}, 3),
                new MonitorMessage.TrialEnded(500, new int[] {1, 4}, new int[] {7}),
                new NodeMessage.StartTrial(12, 3, "rerce-continual", 6.25e-4, new double[] {0.5, -1},
                        scheduler.unsafeUpcast(), testKit.<MonitorMessage.DeviationReport>createTestProbe().getRef()),
                new NodeMessage.EndTrial(12),
                new NodeMessage.ExperimentOver("done"),
                new CoordinatorMessage.ClientStatisticsReport(4, new double[] {1, 2, 2, 5}, new double[] {3, 4}, 1e4),
                new CoordinatorMessage.ClientNodeReady(50, 99, "seed=1 K=100 ρ=0.9",
                        testKit.<NodeMessage>createTestProbe().getRef()));
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
    }

    private static String describe(Object record) {
        final StringBuilder b = new StringBuilder(record.getClass().getSimpleName()).append('(');
        for (var component : record.getClass().getRecordComponents()) {
            try {
                final Object value = component.getAccessor().invoke(record);
                b.append(component.getName()).append('=');
                if (value instanceof double[] d) {
                    b.append(Arrays.toString(Arrays.stream(d).mapToLong(Double::doubleToRawLongBits).toArray()));
                } else if (value instanceof double[][] vectors) {
                    for (double[] d : vectors) {
                        b.append(Arrays.toString(Arrays.stream(d).mapToLong(Double::doubleToRawLongBits).toArray()));
                    }
                } else if (value instanceof int[][] lists) {
                    b.append(Arrays.deepToString(lists));
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
        assertTrue(refused.getMessage().contains("a class named by the payload is not a Fedlink protocol message"),
                refused.getMessage());
        assertEquals(0, Intruder.CREATED.get(), "the named class must never be instantiated");

        // An unregistered class id is refused as well.
        final byte[] unknownId = {(byte) 250, 7};
        assertThrows(IllegalArgumentException.class, () -> serializer().fromBinaryJava(unknownId, null));
        // And an unregistered class is never written.
        assertThrows(IllegalArgumentException.class, () -> serializer().toBinary(new Intruder()));
    }

    @Test
    void trafficCountsWhatTheSerializerWroteAndRead() {
        final KryoProtocolSerializer serializer = serializer();
        final byte[] a = serializer.toBinary(new ServerMessage.LocalModel(3, 1, 9L, new double[] {1, 2, 3, 4}));
        final byte[] b = serializer.toBinary(new ServerMessage.LocalModel(4, 2, 10L, new double[] {1}));
        serializer.fromBinaryJava(a, null);
        assertThrows(IllegalArgumentException.class, () -> serializer.fromBinaryJava(new byte[] {1, 2, 3}, null));
        assertEquals(new KryoProtocolSerializer.Traffic(2, a.length + b.length, 2, a.length + 3L), serializer.traffic(),
                "two written; one read and one refused, both received");
        // The system's own instance, as a node reads it: counted apart from this one.
        final KryoProtocolSerializer.Traffic before = KryoProtocolSerializer.traffic(Adapter.toClassic(testKit.system()));
        roundTrip(new ServerMessage.LocalModel(5, 3, 11L, new double[] {2}));
        final KryoProtocolSerializer.Traffic after = KryoProtocolSerializer.traffic(Adapter.toClassic(testKit.system()));
        assertEquals(List.of(before.messagesSent() + 1, before.messagesReceived() + 1),
                List.of(after.messagesSent(), after.messagesReceived()));
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
        // Layout: class tag, round, client id, poll (8 bytes), the slots ([0]: 01 00), then the vector's length
        // (varint) and the doubles.
        final Output forged = new Output(64, -1);
        forged.write(whole, 0, 13);
        forged.writeVarInt(Integer.MAX_VALUE, true);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(forged.toBytes(), null));
        assertTrue(refused.getMessage().contains("LocalModel: vectors of length " + Integer.MAX_VALUE + " refused"),
                refused.getMessage());
    }

    @Test
    void declaredSizesBeyondThePayloadAreRefusedBeforeAllocating() {
        final byte[] whole = serializer().toBinary(new ServerMessage.LocalModel(3, 1, 9L, new double[] {1}));
        // A 17-byte frame that declares 16 million doubles (128 MB): refused from the remaining size.
        final Output vector = new Output(64, -1);
        vector.write(whole, 0, 13);
        vector.writeVarInt(16_000_000, true);
        final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(vector.toBytes(), null));
        assertTrue(tooLong.getMessage().contains("vectors needs 128000000 bytes but the payload has 0 left"),
                tooLong.getMessage());

        // A poll for 5 million slots whose vectors are not there: refused before the 5 million are allocated.
        final Output slots = new Output(64, -1);
        slots.writeVarInt(101 + 2, true);                        // GlobalModel's tag
        slots.writeVarInt(1, true);                              // round
        slots.writeLong(1L);                                     // poll
        slots.writeVarInt(5_000_000, true);
        final IllegalArgumentException manySlots = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(slots.toBytes(), null));
        assertTrue(manySlots.getMessage().contains("slots needs 5000000 bytes but the payload has 0 left"),
                manySlots.getMessage());

        // A StartUp frame whose actor path declares two billion bytes.
        final Output text = new Output(64, -1);
        text.writeVarInt(100 + 2, true);                         // StartUp's tag
        text.writeLong(1L);                                       // poll
        text.writeVarInt(0, true);                                // no slots
        text.writeVarInt(2_000_000_000, true);
        final IllegalArgumentException hugeText = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(text.toBytes(), null));
        assertTrue(hugeText.getMessage().contains("replyTo of 1999999999 bytes refused: the limit is 65536"),
                hugeText.getMessage());

        // A RoundClosed frame whose dropped list declares more varints than bytes remain.
        final byte[] closed = {106 + 2, 7, 2, 1, 5, 10};
        final IllegalArgumentException ints = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(closed, null));
        assertTrue(ints.getMessage().contains("dropped needs 5 bytes but the payload has 1 left"), ints.getMessage());
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

    @Test
    void sixByteFrameDeclaringAHugeStringIsRefusedWithoutAllocating() {
        // Kryo's tag of its own String registration, then a declared length near 2^31: an
        // OutOfMemoryError (and Pekko's exit of the JVM) before the tag was read by the wire format.
        final byte[] frame = {0x03, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(frame, null));
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(refused.getMessage().contains("class id 1 is not a Fedlink protocol message"), refused.getMessage());
        // The serializer itself, the exception and its stack trace: kilobytes, not gigabytes.
        assertTrue(allocated < 1 << 20, allocated + " bytes allocated");
    }

    @Test
    void nullFieldsAreRefusedWhenWrittenAndWhenRead() {
        final IllegalArgumentException written = assertThrows(IllegalArgumentException.class,
                () -> serializer().toBinary(new ClientMessage.StartUp(1L, null)));
        assertTrue(written.getMessage().contains("StartUp: replyTo is null"), written.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> serializer().toBinary(new ServerMessage.LocalModel(1, 2, 3L, null)));
        assertThrows(IllegalArgumentException.class, () -> serializer().toBinary(new NodeMessage.ExperimentOver(null)));

        final Output nullRef = new Output(16, -1);
        nullRef.writeVarInt(100 + 2, true);                      // StartUp
        nullRef.writeLong(1L);
        nullRef.writeVarInt(0, true);                            // no slots
        nullRef.writeVarInt(0, true);                            // Kryo's null string
        final IllegalArgumentException read = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(nullRef.toBytes(), null));
        assertTrue(read.getMessage().contains("replyTo is null"), read.getMessage());
    }

    @Test
    void nonCanonicalVarintsAreRefused() {
        assertEquals(new ClientMessage.FinishTrial(0), serializer().fromBinaryJava(new byte[] {102 + 2, 0}, null));
        final byte[][] refused = {
            {102 + 2, (byte) 0x80, 0x00},                                        // 0 in two bytes
            {102 + 2, (byte) 0x81, (byte) 0x80, 0x00},                           // 1 in three bytes
            {102 + 2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x1F}, // -1 with a 33rd bit
            {102 + 2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x8F, 0x00}, // six bytes
            {(byte) (0x80 | 102 + 2), 0x00, 0x05},                               // the class tag overlong
        };
        for (byte[] frame : refused) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> serializer().fromBinaryJava(frame, null), java.util.HexFormat.of().formatHex(frame));
            assertTrue(e.getMessage().contains("varint"), e.getMessage());
        }
        assertEquals(new ClientMessage.FinishTrial(-1), serializer().fromBinaryJava(
                new byte[] {102 + 2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, null));
    }

    @Test
    void textMustBeWellFormedUtf8() {
        for (String text : new String[] {"done \u2713", "\uD83D\uDE00", "\u0000"}) {
            assertEquals(text, ((NodeMessage.ExperimentOver) roundTrip(new NodeMessage.ExperimentOver(text))).outcome());
        }
        final byte[][] malformed = {
            {(byte) 0xC0, (byte) 0x80},                  // NUL, overlong
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},     // a surrogate, as CESU-8 writes it
            {(byte) 0x80},                               // a continuation byte alone
            {(byte) 0xE2, (byte) 0x9C},                  // a three-byte sequence cut short
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
        };
        for (byte[] text : malformed) {
            final Output frame = new Output(16, -1);
            frame.writeVarInt(113 + 2, true);                    // ExperimentOver
            frame.writeVarInt(text.length + 1, true);
            frame.writeBytes(text);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> serializer().fromBinaryJava(frame.toBytes(), null));
            assertTrue(e.getMessage().contains("outcome is not well-formed UTF-8"), e.getMessage());
        }
        // String.getBytes would send '?' for an unpaired surrogate: the sender is refused instead.
        assertThrows(IllegalArgumentException.class,
                () -> serializer().toBinary(new NodeMessage.ExperimentOver("half \uD83D")));
    }

    @Test
    void actorReferenceMustResolveToItsOwnText() {
        final String self = ActorRefResolver.get(testKit.system()).toSerializationFormat(testKit.system());
        final String[] unresolvable = {
            "garbage",                                               // dead letters
            "pekko://Elsewhere/user/client#1",                       // another system: dead letters
            self + "//client#1",                                     // Pekko drops the empty element
            self + "/client#abc",                                    // a uid that is no number
        };
        for (String path : unresolvable) {
            final Output frame = new Output(64, -1);
            frame.writeVarInt(105 + 2, true);                        // RegisterClient
            frame.writeVarInt(3, true);
            final byte[] text = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            frame.writeVarInt(text.length + 1, true);
            frame.writeBytes(text);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> serializer().fromBinaryJava(frame.toBytes(), null), path);
            assertTrue(e.getMessage().contains("client \"" + path + "\" does not resolve"), e.getMessage());
        }
        // A path with a line break of its own is quoted without it: the log gets no line from the payload.
        final String forged = self + "/client#1\n12:00:00.000 ERROR forged line";
        final Output frame = new Output(128, -1);
        frame.writeVarInt(105 + 2, true);
        frame.writeVarInt(3, true);
        final byte[] text = forged.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        frame.writeVarInt(text.length + 1, true);
        frame.writeBytes(text);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> serializer().fromBinaryJava(frame.toBytes(), null));
        assertTrue(e.getMessage().contains("client#1?12:00:00.000 ERROR"), e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
    }

    @Test
    void doublesTravelBitForBitNanPayloadsAndInfinitiesIncluded() {
        final double signallingNaN = Double.longBitsToDouble(0x7FF0_0000_0000_0001L);
        final double negativeNaNWithPayload = Double.longBitsToDouble(0xFFF8_DEAD_BEEF_0042L);
        final double[] vector = {signallingNaN, negativeNaNWithPayload, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE};
        final byte[] bytes = serializer().toBinary(new ServerMessage.LocalModel(1, 2, 3L, vector));
        final ServerMessage.LocalModel back = (ServerMessage.LocalModel) serializer().fromBinaryJava(bytes, null);
        for (int i = 0; i < vector.length; i++) {
            assertEquals(Double.doubleToRawLongBits(vector[i]), Double.doubleToRawLongBits(back.vector()[i]),
                    "element " + i);
        }
        assertArrayEquals(bytes, serializer().toBinary(back), "re-encodes to the same bytes");
        final MonitorMessage.DeviationSample sample = (MonitorMessage.DeviationSample) serializer().fromBinaryJava(
                serializer().toBinary(new MonitorMessage.DeviationSample(1, negativeNaNWithPayload)), null);
        assertEquals(0xFFF8_DEAD_BEEF_0042L, Double.doubleToRawLongBits(sample.deviation()));
    }

    /**
     * The bytes of messages without actor references, as the serializer wrote them before it read
     * class tags itself: valid messages keep their encoding (doubles differ only for NaNs whose
     * payload Kryo's writeDouble would have replaced).
     */
    @Test
    void validMessagesKeepTheirBytes() {
        final java.util.Map<FedlinkMessage, String> layout = new java.util.LinkedHashMap<>();
        layout.put(new ClientMessage.FinishTrial(500), "68f403");
        // LocalModel carries its slots (here the one slot 0) before its vectors, and its lost slots after.
        layout.put(new ServerMessage.LocalModel(7, 5, -2L, new double[] {Math.PI, -0.0, Double.NaN, 1.0}),
                "6a0705feffffffffffffff010004182d4454fb2109400000000000000080000000000000f87f000000000000f03f00");
        layout.put(new ServerMessage.LocalModel(7, 5, -2L, new int[] {1, 3}, new double[][] {{1.0}, {}},
                new int[] {2}), "6a0705feffffffffffffff02020601000000000000f03f000104");
        layout.put(new SchedulerMessage.RoundClosed(7, 3, 1, new int[] {5, -1, 300}), "6c070301030a01d804");
        layout.put(new MonitorMessage.DeviationReport(5, 3, new double[] {0.1, 0.2}),
                "6d0503029a9999999999b93f9a9999999999c93f");
        layout.put(new MonitorMessage.DeviationSample(-5, 0.125), "6efbffffff0f000000000000c03f");
        // RoundReport gained its lost uploads and polls (two varints at the end) with the lossy channels,
        // and its slot in the block (a varint at the front) with blocks of trials.
        layout.put(new MonitorMessage.RoundReport(7, 2, 1, new int[] {5}, 3), "6f00070201010a030000");
        layout.put(new MonitorMessage.RoundReport(3, 7, 2, 1, new int[] {5}, 3, 4, 1), "6f03070201010a030401");
        layout.put(new MonitorMessage.TrialEnded(500, new int[] {1, 4}, new int[] {7}), "70f403020208010e");
        layout.put(new NodeMessage.EndTrial(12), "720c");
        layout.put(new NodeMessage.ExperimentOver("done \u2713"), "7309646f6e6520e29c93");
        layout.put(new CoordinatorMessage.ClientStatisticsReport(4, new double[] {1, 2, 2, 5}, new double[] {3, 4},
                1e4), "740404000000000000f03f00000000000000400000000000000040000000000000144002000000000000084000"
                        + "00000000001040000000000088c340");
        final KryoProtocolSerializer serializer = serializer();
        layout.forEach((message, hex) -> assertEquals(hex,
                java.util.HexFormat.of().formatHex(serializer.toBinary(message)), message.getClass().getSimpleName()));
    }

    @Test
    void arraysLongerThanTheLimitAreNotWrittenEither() {
        final Kryo kryo = WireFormat.newKryo(ActorRefResolver.get(testKit.system()), 4);
        final Output out = new Output(64, -1);
        WireFormat.write(kryo, out, new ServerMessage.LocalModel(1, 2, 3L, new double[4]));
        out.reset();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WireFormat.write(kryo, out, new ServerMessage.LocalModel(1, 2, 3L, new double[5])));
        assertTrue(e.getMessage().contains("vectors of length 5 refused: the limit is 4"), e.getMessage());
    }
}
