package io.fedlink.protocol.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.esotericsoftware.kryo.io.Output;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.FedlinkMessage;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hostile and damaged frames, well over 100 000 of them: each must decode to a message that
 * re-encodes to the very same bytes, or be refused with an {@link IllegalArgumentException}. Nothing
 * else may be thrown: not a Kryo or index exception, and above all no OutOfMemoryError, which would
 * make Pekko exit the JVM. This class runs in a surefire fork of its own under -Xmx64m (see this
 * module's pom.xml), so a declared size that is trusted shows as an OutOfMemoryError.
 *
 * <p>The frames go to {@link KryoProtocolSerializer#read}, the decoder without the last-resort
 * conversion of unforeseen exceptions that {@code fromBinaryJava} adds: every refusal must come from
 * the wire format's own checks.
 *
 * <p>Reproducible: every input derives from {@link #SEED} (printed, with the counts per family;
 * override with -Dfedlink.fuzz.seed=...), and the samples' actor references are fixed paths, so the
 * frames are the same bytes in every run.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireFuzzTest {

    private static final long SEED = Long.getLong("fedlink.fuzz.seed", 0x5EED_F022L);

    /**
     * Varint values no honest frame of these samples holds: lengths at and beyond the limits (only
     * the check against the bytes left refuses a length at the limit: 1 << 24 doubles are 128 MB),
     * and beyond every payload.
     */
    private static final int[] HUGE = {Integer.MAX_VALUE, 0x7FFF_FFF8, 1 << 28, (1 << 24) + 1, 1 << 24,
        WireFields.MAX_TEXT_BYTES + 1, WireFields.MAX_TEXT_BYTES + 2, -1, Integer.MIN_VALUE};

    @JUnit5TestKit
    ActorTestKit testKit = new JUnit5TestKitBuilder().withName("WireFuzzTest").build();

    private KryoProtocolSerializer serializer;
    private final Map<String, int[]> counts = new LinkedHashMap<>();     // family -> {decoded, refused}

    @Test
    void everyFrameDecodesToItsOwnBytesOrIsRefused() {
        serializer = new KryoProtocolSerializer((ExtendedActorSystem) Adapter.toClassic(testKit.system()));
        final List<FedlinkMessage> samples = samples();
        final Set<Class<?>> sampled = samples.stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.copyOf(WireFormat.messageTypes()), sampled, "every registered message needs samples here");
        final List<byte[]> frames = samples.stream().map(serializer::toBinary).toList();
        final long start = System.nanoTime();

        frames.forEach(frame -> check("valid", frame));
        singleBitFlips(frames);
        multipleBitFlips(frames, random("multiple bit flips"));
        truncations(frames);
        inflatedVarints(frames);
        classTags(frames, random("class tags"));
        randomBytes(random("random bytes"));
        randomBodies(frames, random("random bodies"));

        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        final int total = counts.values().stream().mapToInt(c -> c[0] + c[1]).sum();
        final StringBuilder report = new StringBuilder(String.format(
                "WireFuzzTest seed %d (0x%X): %d inputs in %d ms%n", SEED, SEED, total, elapsedMs));
        counts.forEach((family, c) -> report.append(String.format("  %-20s %7d inputs %7d decoded %7d refused%n",
                family, c[0] + c[1], c[0], c[1])));
        System.out.print(report);

        assertTrue(total >= 100_000, total + " inputs");
        assertEquals(frames.size(), counts.get("valid")[0], "every sample decodes");
        assertEquals(0, counts.get("truncations")[0], "a prefix of a frame is never a frame");
        counts.forEach((family, c) -> {
            if (!family.equals("valid")) {
                assertTrue(c[1] > 0, family + ": nothing refused, so nothing was tested");
            }
        });
        assertTrue(counts.get("single bit flips")[0] > 0, "flips in vector elements still decode");
    }

    /**
     * The property, for one input. A refusal is counted; a decoded message must re-encode to the
     * input; anything else fails the test, naming the input.
     */
    private void check(String family, byte[] input) {
        final int[] count = counts.computeIfAbsent(family, f -> new int[2]);
        final FedlinkMessage message;
        try {
            message = serializer.read(input);
        } catch (IllegalArgumentException refused) {
            count[1]++;
            return;
        } catch (Throwable other) {                              // OutOfMemoryError included
            throw new AssertionError(family + ", seed " + SEED + ": " + other + " for " + hex(input), other);
        }
        final byte[] again = serializer.toBinary(message);
        if (!Arrays.equals(input, again)) {
            fail(family + ", seed " + SEED + ": " + hex(input) + " decodes to a " + message.getClass().getSimpleName()
                    + " that re-encodes to " + hex(again));
        }
        count[0]++;
    }

    /** Every bit of every sample frame, flipped alone. */
    private void singleBitFlips(List<byte[]> frames) {
        for (byte[] frame : frames) {
            for (int bit = 0; bit < frame.length * 8; bit++) {
                final byte[] flipped = frame.clone();
                flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
                check("single bit flips", flipped);
            }
        }
    }

    /** 2 to 8 bits flipped at random places, 700 times per sample frame. */
    private void multipleBitFlips(List<byte[]> frames, SplittableRandom random) {
        for (byte[] frame : frames) {
            for (int n = 0; n < 700; n++) {
                final byte[] flipped = frame.clone();
                final int flips = random.nextInt(2, 9);
                for (int i = 0; i < flips; i++) {
                    final int bit = random.nextInt(frame.length * 8);
                    flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                check("multiple bit flips", flipped);
            }
        }
    }

    /** Every proper prefix of every sample frame, and every frame with one byte too many. */
    private void truncations(List<byte[]> frames) {
        for (byte[] frame : frames) {
            for (int length = 0; length < frame.length; length++) {
                check("truncations", Arrays.copyOf(frame, length));
            }
            check("trailing bytes", Arrays.copyOf(frame, frame.length + 1));
        }
    }

    /**
     * At every offset of every sample frame, the varint that starts there (or the single byte, where
     * none does) replaced by each {@link #HUGE} value and by one more than the bytes that follow: every
     * length field of every message is among them, whatever its layout.
     */
    private void inflatedVarints(List<byte[]> frames) {
        for (byte[] frame : frames) {
            for (int offset = 0; offset < frame.length; offset++) {
                final int end = varintEnd(frame, offset);
                final int following = frame.length - end;
                for (int value : HUGE) {
                    check("inflated varints", splice(frame, offset, end, value));
                }
                check("inflated varints", splice(frame, offset, end, following + 1));
                check("inflated varints", splice(frame, offset, end, following / Double.BYTES + 1));
            }
        }
    }

    /** Every sample body under every tag up to 140 (Kryo's ids, ours, unused ones) and random big tags. */
    private void classTags(List<byte[]> frames, SplittableRandom random) {
        for (byte[] frame : frames) {
            final byte[] body = Arrays.copyOfRange(frame, varintEnd(frame, 0), frame.length);
            for (int tag = 0; tag <= 140; tag++) {
                check("class tags", withTag(tag, body));
            }
            for (int i = 0; i < 20; i++) {
                check("class tags", withTag(random.nextInt(), body));
            }
        }
    }

    /** Random byte strings, mostly short, some up to 4 KB. */
    private void randomBytes(SplittableRandom random) {
        for (int i = 0; i < 20_000; i++) {
            final byte[] bytes = new byte[randomLength(random)];
            random.nextBytes(bytes);
            check("random bytes", bytes);
        }
    }

    /** A protocol tag, then random bytes: the fields' own checks, not the tag's, refuse these. */
    private void randomBodies(List<byte[]> frames, SplittableRandom random) {
        for (int i = 0; i < 20_000; i++) {
            final byte[] frame = frames.get(random.nextInt(frames.size()));
            final byte[] body = new byte[randomLength(random)];
            random.nextBytes(body);
            final byte[] input = Arrays.copyOf(frame, varintEnd(frame, 0) + body.length);
            System.arraycopy(body, 0, input, varintEnd(frame, 0), body.length);
            check("random bodies", input);
        }
    }

    private static int randomLength(SplittableRandom random) {
        final double u = random.nextDouble();
        return u < 0.6 ? random.nextInt(17) : u < 0.9 ? random.nextInt(257) : random.nextInt(4097);
    }

    /** Samples of every message: realistic contents and the edges (empty, extreme, non-finite, non-ASCII). */
    private List<FedlinkMessage> samples() {
        final SplittableRandom random = random("samples");
        final ActorRefResolver resolver = ActorRefResolver.get(testKit.system());
        final String root = resolver.toSerializationFormat(testKit.system());    // pekko://WireFuzzTest/user
        final ActorRef<Object> server = resolver.resolveActorRef(root + "/trial-3/server#1071");
        final ActorRef<Object> deadLetters = resolver.resolveActorRef("pekko://WireFuzzTest/deadLetters");
        final List<ActorRef<ClientMessage>> clients = IntStream.range(0, 12)
                .mapToObj(k -> resolver.<ClientMessage>resolveActorRef(root + "/trial-3/client-" + k + "#" + (1 - 5 * k)))
                .toList();
        final double[] special = {Double.NaN, Double.longBitsToDouble(0x7FF0_0000_0000_0001L),
            Double.longBitsToDouble(0xFFF8_DEAD_BEEF_0042L), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            -0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL};
        final double[] six = gaussians(random, 6);
        final double[] hundred = gaussians(random, 100);
        final List<FedlinkMessage> samples = new ArrayList<>();

        samples.add(new ClientMessage.StartUp(random.nextLong(), server.unsafeUpcast()));
        samples.add(new ClientMessage.StartUp(Long.MIN_VALUE, deadLetters.unsafeUpcast()));
        samples.add(new ClientMessage.GlobalModel(17, random.nextLong(), six, server.unsafeUpcast()));
        samples.add(new ClientMessage.GlobalModel(1, 0L, hundred, server.unsafeUpcast()));
        samples.add(new ClientMessage.GlobalModel(Integer.MAX_VALUE, -1L, special, server.unsafeUpcast()));
        samples.add(new ClientMessage.GlobalModel(-1, Long.MAX_VALUE, new double[0], deadLetters.unsafeUpcast()));
        samples.add(new ClientMessage.FinishTrial(500));
        samples.add(new ClientMessage.FinishTrial(Integer.MIN_VALUE));
        samples.add(new ServerMessage.RoundPlan(7, new int[] {2, 5, 11}, List.of(clients.get(2), clients.get(5),
                clients.get(11)), server.unsafeUpcast()));
        samples.add(new ServerMessage.RoundPlan(0, IntStream.range(0, 12).toArray(), clients, server.unsafeUpcast()));
        samples.add(new ServerMessage.RoundPlan(Integer.MAX_VALUE, new int[0], List.of(), deadLetters.unsafeUpcast()));
        samples.add(new ServerMessage.LocalModel(17, 5, random.nextLong(), six));
        samples.add(new ServerMessage.LocalModel(400, 99, 42L, hundred));
        samples.add(new ServerMessage.LocalModel(-7, Integer.MAX_VALUE, Long.MIN_VALUE, special));
        samples.add(new ServerMessage.LocalModel(0, 0, 0L, new double[0]));
        samples.add(new SchedulerMessage.RegisterClient(3, clients.get(3)));
        samples.add(new SchedulerMessage.RegisterClient(-1, deadLetters.unsafeUpcast()));
        samples.add(new SchedulerMessage.RoundClosed(7, 3, 2, new int[] {5}));
        samples.add(new SchedulerMessage.RoundClosed(-1, Integer.MAX_VALUE, 0,
                new int[] {0, 63, 64, 8191, 8192, -1, -64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE}));
        samples.add(new MonitorMessage.DeviationReport(5, 1, gaussians(random, 40)));
        samples.add(new MonitorMessage.DeviationReport(0, Integer.MIN_VALUE, special));
        samples.add(new MonitorMessage.DeviationSample(5, 0.125));
        samples.add(new MonitorMessage.DeviationSample(Integer.MIN_VALUE, special[2]));
        samples.add(new MonitorMessage.RoundReport(7, 3, 2, new int[] {5}, 1));
        samples.add(new MonitorMessage.RoundReport(0, 0, 0, new int[0], Integer.MAX_VALUE));
        samples.add(new MonitorMessage.RoundReport(9, 4, 1, new int[0], 0, 2, 1));
        // Blocks of trials: several slots per message, lost polls, plans per slot.
        samples.add(new ClientMessage.StartUp(random.nextLong(), new int[] {0, 3, 4, 49}, server.unsafeUpcast()));
        samples.add(new ClientMessage.StartUp(7L, new int[0], deadLetters.unsafeUpcast()));
        samples.add(new ClientMessage.GlobalModel(12, random.nextLong(), new int[] {1, 2, 40},
                new double[][] {six, special, hundred}, server.unsafeUpcast()));
        samples.add(new ClientMessage.GlobalModel(0, 0L, new int[0], new double[0][], deadLetters.unsafeUpcast()));
        samples.add(new ServerMessage.LocalModel(12, 3, random.nextLong(), new int[] {2, 40},
                new double[][] {special, six}, new int[] {1, 7}));
        samples.add(new ServerMessage.LocalModel(-1, Integer.MAX_VALUE, Long.MIN_VALUE, new int[0], new double[0][],
                new int[] {0, Integer.MAX_VALUE}));
        samples.add(new ServerMessage.RoundPlan(3, new int[] {2, 5, 11}, List.of(clients.get(2), clients.get(5),
                clients.get(11)), new int[][] {{2, 11}, {}, {5}, {2, 5, 11}}, server.unsafeUpcast()));
        samples.add(new MonitorMessage.RoundReport(49, 7, 3, 2, new int[] {5}, 1, 0, 1));
        samples.add(new MonitorMessage.RoundReport(Integer.MIN_VALUE, -1, 0, 0, new int[0], 0, Integer.MAX_VALUE, 0));
        samples.add(new MonitorMessage.TrialEnded(500, new int[] {1, 4}, new int[] {7, 8, 9}));
        samples.add(new MonitorMessage.TrialEnded(0, new int[0], new int[0]));
        samples.add(new NodeMessage.StartTrial(12, 3, "rerce-continual", 6.25e-4, six, server.unsafeUpcast(),
                server.unsafeUpcast()));
        samples.add(new NodeMessage.StartTrial(Integer.MAX_VALUE, -1, "", Double.NaN, special,
                deadLetters.unsafeUpcast(), deadLetters.unsafeUpcast()));
        samples.add(new NodeMessage.StartTrial(1, 0, "r\u00e9rc\u00e9 \u2713 \uD83D\uDE00", -0.0, new double[0],
                clients.get(0).unsafeUpcast(), server.unsafeUpcast()));
        samples.add(new NodeMessage.EndTrial(12));
        samples.add(new NodeMessage.EndTrial(-12));
        samples.add(new NodeMessage.ExperimentOver("complete"));
        samples.add(new NodeMessage.ExperimentOver(""));
        samples.add(new NodeMessage.ExperimentOver("refused: this node's flags give [seed=1 K=100 \u03c1=0.9] \u2260 "
                + "[seed=2 K=100 \u03c1=0.9] \uD83D\uDE00"));
        samples.add(new CoordinatorMessage.ClientStatisticsReport(4, gaussians(random, 36), six, 1e4));
        samples.add(new CoordinatorMessage.ClientStatisticsReport(0, new double[0], special, Double.NaN));
        samples.add(new CoordinatorMessage.ClientNodeReady(50, 99, "seed=1 K=100 L=6 \u03c1=0.9 samples=400",
                clients.get(7).unsafeUpcast()));
        samples.add(new CoordinatorMessage.ClientNodeReady(Integer.MIN_VALUE, Integer.MAX_VALUE, "",
                server.unsafeUpcast()));
        samples.add(new NodeMessage.SendStatistics(clients.get(3).unsafeUpcast()));
        return samples;
    }

    private static double[] gaussians(SplittableRandom random, int n) {
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return values;
    }

    /** A family's own stream, derived from the root seed by name. */
    private static SplittableRandom random(String family) {
        return new SplittableRandom(SEED * 0x9E37_79B9_7F4A_7C15L + family.hashCode());
    }

    /** Where the varint starting at {@code offset} ends (one byte on, if no varint ends within 5). */
    private static int varintEnd(byte[] frame, int offset) {
        for (int i = offset; i < Math.min(frame.length, offset + 5); i++) {
            if (frame[i] >= 0) {
                return i + 1;
            }
        }
        return offset + 1;
    }

    private static byte[] splice(byte[] frame, int from, int to, int value) {
        final Output out = new Output(frame.length + 5, -1);
        out.writeBytes(frame, 0, from);
        out.writeVarInt(value, true);
        out.writeBytes(frame, to, frame.length - to);
        return out.toBytes();
    }

    private static byte[] withTag(int tag, byte[] body) {
        final Output out = new Output(body.length + 5, -1);
        out.writeVarInt(tag, true);
        out.writeBytes(body);
        return out.toBytes();
    }

    private static String hex(byte[] bytes) {
        return bytes.length <= 256 ? HexFormat.of().formatHex(bytes)
                : HexFormat.of().formatHex(bytes, 0, 256) + "... (" + bytes.length + " bytes)";
    }
}
