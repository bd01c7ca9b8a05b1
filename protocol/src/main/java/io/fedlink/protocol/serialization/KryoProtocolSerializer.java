package io.fedlink.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.fedlink.protocol.FedlinkMessage;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * Pekko's serializer for the Fedlink protocol, over Kryo 5: bound in configuration to
 * {@link FedlinkMessage} (see this module's reference.conf), so that only the protocol's registered
 * classes ever cross the network. The bytes are {@link WireFormat}'s.
 *
 * <p>A payload that is not exactly the encoding of some protocol message (an id that is not the
 * protocol's, a declared size the payload does not hold, a non-canonical encoding, trailing bytes)
 * is refused with an {@link IllegalArgumentException} naming the problem, before anything larger
 * than the payload is allocated; Pekko drops such a message and logs it. No other exception leaves
 * {@link #fromBinaryJava}: a fatal error there (an OutOfMemoryError, say) would make Pekko exit the
 * JVM, so a hostile 6-byte frame could stop a node.
 */
public final class KryoProtocolSerializer extends JSerializer {

    /** The serializer's id in Pekko: part of the wire format, never change it. */
    public static final int IDENTIFIER = 736_101;

    private static final byte[] NO_BYTES = {};

    private final Pool<Codec> codecs;
    // What crossed the network through this serializer (Pekko serializes only what goes to another node).
    private final LongAdder sent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();

    /** Fedlink's protocol messages this node serialized for the network and read from it, and their bytes. */
    public record Traffic(long messagesSent, long bytesSent, long messagesReceived, long bytesReceived) {
    }

    /** One thread's Kryo with its reusable input and output (Kryo instances are not thread-safe). */
    private static final class Codec {
        final Kryo kryo;
        final Input input = new Input();
        final Output output = new Output(1024, -1);

        Codec(Kryo kryo) {
            this.kryo = kryo;
        }
    }

    public KryoProtocolSerializer(ExtendedActorSystem system) {
        final ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
        final int maxVectorLength = system.settings().config().getInt("fedlink.serialization.max-vector-length");
        this.codecs = new Pool<>(true, false, 16) {
            @Override
            protected Codec create() {
                return new Codec(WireFormat.newKryo(resolver, maxVectorLength));
            }
        };
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object message) {
        final Codec codec = codecs.obtain();
        try {
            codec.output.reset();
            WireFormat.write(codec.kryo, codec.output, message);
            final byte[] bytes = codec.output.toBytes();
            sent.increment();
            bytesSent.add(bytes.length);
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot serialize: " + e.getMessage(), e);
        } finally {
            codecs.free(codec);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        received.increment();
        bytesReceived.add(bytes.length);
        try {
            return read(bytes);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException("refused a Fedlink message of " + bytes.length + " bytes: "
                    + refused.getMessage(), refused);
        } catch (RuntimeException unexpected) {
            // Not one of the format's own refusals (WireFuzzTest holds read to those), but record
            // constructors and the actor-ref resolver are others' code: refuse the message all the same.
            throw new IllegalArgumentException("refused a Fedlink message of " + bytes.length + " bytes: "
                    + unexpected, unexpected);
        }
    }

    /** What this serializer has carried so far (refused frames count as received). */
    public Traffic traffic() {
        return new Traffic(sent.sum(), bytesSent.sum(), received.sum(), bytesReceived.sum());
    }

    /** The traffic of {@code system}'s Fedlink serializer. */
    public static Traffic traffic(ActorSystem system) {
        return ((KryoProtocolSerializer) SerializationExtension.get(system).serializerByIdentity().apply(IDENTIFIER))
                .traffic();
    }

    /**
     * The message {@code bytes} encode, or an {@link IllegalArgumentException} from the wire format's
     * own checks; anything else thrown here is a bug (what {@link #fromBinaryJava} adds is only the
     * frame size in the message and the last-resort conversion of other exceptions).
     */
    FedlinkMessage read(byte[] bytes) {
        final Codec codec = codecs.obtain();
        try {
            codec.input.setBuffer(bytes);
            return WireFormat.read(codec.kryo, codec.input);
        } finally {
            codec.input.setBuffer(NO_BYTES);               // don't keep the frame alive in the pool
            codecs.free(codec);
        }
    }
}
