package io.fedlink.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko's serializer for the Fedlink protocol, over Kryo 5: bound in configuration to
 * {@link io.fedlink.protocol.FedlinkMessage} (see this module's reference.conf), so that only the
 * protocol's registered classes ever cross the network. Kryo instances are not thread-safe and are
 * pooled; each carries the registrations of {@link WireFormat}.
 *
 * <p>A payload that is truncated, names an unregistered class, or declares a vector longer than
 * {@code fedlink.serialization.max-vector-length} is refused with an {@link IllegalArgumentException}
 * naming the problem (Pekko drops the message and logs it); nothing it names is instantiated.
 */
public final class KryoProtocolSerializer extends JSerializer {

    /** The serializer's id in Pekko: part of the wire format, never change it. */
    public static final int IDENTIFIER = 736_101;

    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs;

    public KryoProtocolSerializer(ExtendedActorSystem system) {
        final ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
        final int maxVectorLength = system.settings().config().getInt("fedlink.serialization.max-vector-length");
        this.kryos = new Pool<>(true, false, 16) {
            @Override
            protected Kryo create() {
                return WireFormat.newKryo(resolver, maxVectorLength);
            }
        };
        this.outputs = new Pool<>(true, false, 16) {
            @Override
            protected Output create() {
                return new Output(1024, -1);
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
        final Kryo kryo = kryos.obtain();
        final Output output = outputs.obtain();
        try {
            output.reset();
            kryo.writeClassAndObject(output, message);
            return output.toBytes();
        } catch (KryoException e) {
            throw new IllegalArgumentException("cannot serialize " + message.getClass().getName()
                    + ": not a registered Fedlink protocol message (" + e.getMessage() + ")", e);
        } finally {
            outputs.free(output);
            kryos.free(kryo);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        final Kryo kryo = kryos.obtain();
        try {
            final Input input = new Input(bytes);
            final Object message = kryo.readClassAndObject(input);
            if (!(message instanceof io.fedlink.protocol.FedlinkMessage)) {
                throw new IllegalArgumentException("it holds " + (message == null ? "null" : "a "
                        + message.getClass().getSimpleName()) + ", not a Fedlink protocol message");
            }
            if (input.position() != bytes.length) {
                throw new IllegalArgumentException(bytes.length - input.position() + " unread trailing bytes");
            }
            return message;
        } catch (KryoException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("refused a Fedlink message of " + bytes.length + " bytes: "
                    + e.getMessage(), e);
        } finally {
            kryos.free(kryo);
        }
    }
}
