package io.fedlink.cli;

import com.typesafe.config.ConfigFactory;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.FedlinkMessage;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.serialization.KryoProtocolSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink wire-benchmark}: bytes and time per model message through Fedlink's Kryo serializer
 * against Pekko's Jackson CBOR serializer, measured in the same run on the same messages: an upload
 * (LocalModel) and a poll (GlobalModel, which carries an actor reference) at each L.
 */
@Command(name = "wire-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Measures bytes and time per model message, Kryo against Jackson CBOR.",
            "Appends to --out/wire.csv and prints the table."
        })
final class WireBenchmarkCommand implements Callable<Integer> {

    static final String CSV_HEADER = "message,dim,kryo_bytes,jackson_cbor_bytes,kryo_ns,jackson_cbor_ns,"
            + "bytes_ratio,time_ratio";

    @Spec
    CommandSpec spec;

    @Option(names = "--dim", split = ",", paramLabel = "L", defaultValue = "16,128,1024",
            description = "Model dimensions (default: ${DEFAULT-VALUE}).")
    List<Integer> dimensions;

    @Option(names = "--millis", paramLabel = "MS", defaultValue = "1000",
            description = "Measuring time per serializer and message, after as long a warm-up (default: ${DEFAULT-VALUE}).")
    long millis;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for wire.csv (default: results/wire).")
    Path out = Path.of("results", "wire");

    /** The serializer under test as one round trip: bytes out, message back. */
    private interface RoundTrip {
        byte[] toBinary(Object message);

        Object fromBinary(byte[] bytes, Object message);
    }

    @Override
    public Integer call() throws IOException {
        final CommandLine cmd = spec.commandLine();
        final PrintWriter console = cmd.getOut();
        for (int l : dimensions) {
            if (l < 1 || l > 1 << 20) {
                throw ExperimentOptions.usage(cmd, "--dim " + l + ": expected 1..1048576");
            }
        }
        if (millis < 10) {
            throw ExperimentOptions.usage(cmd, "--millis " + millis + ": at least 10");
        }
        final String unwritable = ResultFiles.checkWritable(out);
        if (unwritable != null) {
            throw ExperimentOptions.usage(cmd, "--out " + out + ": " + unwritable);
        }
        // Two systems, the protocol bound to Kryo in one and to Jackson CBOR in the other, both driven
        // through Pekko's Serialization extension exactly as remoting drives them.
        final ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "wire", ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                """).withFallback(ConfigFactory.load()));
        final ActorSystem<Void> jacksonSystem = ActorSystem.create(Behaviors.empty(), "wire-jackson",
                ConfigFactory.parseString("""
                        pekko.loglevel = WARNING
                        pekko.actor.serialization-bindings { "io.fedlink.protocol.FedlinkMessage" = jackson-cbor }
                        """).withFallback(ConfigFactory.load()));
        try {
            final RoundTrip kryoTrip = new Trip(system, KryoProtocolSerializer.IDENTIFIER);
            final RoundTrip jacksonTrip = new Trip(jacksonSystem, -1);
            final ActorRef<ServerMessage> replyTo = system.systemActorOf(Behaviors.<ServerMessage>empty(), "server",
                    org.apache.pekko.actor.typed.Props.empty());
            final ActorRef<ServerMessage> jacksonReplyTo = jacksonSystem.systemActorOf(
                    Behaviors.<ServerMessage>empty(), "server", org.apache.pekko.actor.typed.Props.empty());
            console.printf(Locale.ROOT, "%-12s %6s %12s %14s %10s %14s %8s %8s%n", "message", "L", "kryo bytes",
                    "jackson bytes", "kryo ns", "jackson ns", "bytes x", "time x");
            final Path csv = out.resolve("wire.csv");
            if (!Files.exists(csv)) {
                Files.writeString(csv, CSV_HEADER + "\n", StandardCharsets.UTF_8);
            }
            for (int l : dimensions) {
                final double[] vector = new double[l];
                final java.util.Random random = new java.util.Random(l);
                for (int i = 0; i < l; i++) {
                    vector[i] = random.nextGaussian();
                }
                // Each system serializes actor references of its own.
                final List<FedlinkMessage[]> pairs = List.of(
                        new FedlinkMessage[] {new ServerMessage.LocalModel(17, 42, 0x2545F4914F6CDD1DL, vector),
                            new ServerMessage.LocalModel(17, 42, 0x2545F4914F6CDD1DL, vector)},
                        new FedlinkMessage[] {new ClientMessage.GlobalModel(17, 0x2545F4914F6CDD1DL, vector, replyTo.unsafeUpcast()),
                            new ClientMessage.GlobalModel(17, 0x2545F4914F6CDD1DL, vector, jacksonReplyTo.unsafeUpcast())});
                for (FedlinkMessage[] pair : pairs) {
                    final String name = pair[0].getClass().getSimpleName();
                    final int kryoBytes = kryoTrip.toBinary(pair[0]).length;
                    final int jacksonBytes = jacksonTrip.toBinary(pair[1]).length;
                    final double kryoNs = nanosPerRoundTrip(kryoTrip, pair[0]);
                    final double jacksonNs = nanosPerRoundTrip(jacksonTrip, pair[1]);
                    console.printf(Locale.ROOT, "%-12s %6d %12d %14d %10.0f %14.0f %8.2f %8.2f%n", name, l, kryoBytes,
                            jacksonBytes, kryoNs, jacksonNs, (double) kryoBytes / jacksonBytes, kryoNs / jacksonNs);
                    console.flush();
                    Files.writeString(csv, String.format(Locale.ROOT, "%s,%d,%d,%d,%.0f,%.0f,%.3f,%.3f%n", name, l,
                            kryoBytes, jacksonBytes, kryoNs, jacksonNs, (double) kryoBytes / jacksonBytes,
                            kryoNs / jacksonNs), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                }
            }
            console.println("(bytes x and time x: Kryo over Jackson CBOR; time is serialize + deserialize)");
        } finally {
            system.terminate();
            jacksonSystem.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
            jacksonSystem.getWhenTerminated().toCompletableFuture().join();
        }
        return 0;
    }

    /** A round trip through one system's Serialization extension and the serializer it binds. */
    private static final class Trip implements RoundTrip {
        private final org.apache.pekko.serialization.Serialization serialization;
        private final int expectedId;

        Trip(ActorSystem<?> system, int expectedId) {
            this.serialization = org.apache.pekko.serialization.SerializationExtension.get(Adapter.toClassic(system));
            this.expectedId = expectedId;
        }

        @Override
        public byte[] toBinary(Object message) {
            return serialization.serialize(message).get();
        }

        @Override
        public Object fromBinary(byte[] bytes, Object message) {
            final Serializer serializer = serialization.findSerializerFor(message);
            if (expectedId >= 0 && serializer.identifier() != expectedId) {
                throw new IllegalStateException("bound to " + serializer.getClass().getName());
            }
            final String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, message);
            return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
        }
    }

    /** Mean time of one serialize + deserialize, after a warm-up as long as the measurement. */
    private double nanosPerRoundTrip(RoundTrip trip, Object message) {
        long sink = 0;
        for (int phase = 0; phase < 2; phase++) {
            final long budget = millis * 1_000_000L;
            final long start = System.nanoTime();
            long count = 0;
            long elapsed;
            do {
                for (int i = 0; i < 64; i++) {
                    final byte[] bytes = trip.toBinary(message);
                    sink += bytes.length + trip.fromBinary(bytes, message).hashCode();
                }
                count += 64;
                elapsed = System.nanoTime() - start;
            } while (elapsed < budget);
            if (phase == 1) {
                if (sink == 42) {
                    System.out.print("");                   // keeps the work observable to the JIT
                }
                return (double) elapsed / count;
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
