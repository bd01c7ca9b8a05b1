package io.fedlink.protocol.serialization;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * How each field of a protocol message is written and read: every serializer in {@link WireFormat}
 * goes through these methods, so that write and read agree and reading is strict in one place.
 *
 * <p>Reading accepts exactly the bytes that writing produces, so a payload that decodes re-encodes
 * to the same bytes: a varint must be in its shortest form (Kryo itself accepts {@code 80 00} for
 * 0), text must be well-formed UTF-8, an actor reference must serialize back to its own text. Every
 * declared size is checked against the bytes that remain before anything is allocated for it, so a
 * decoded array or string is never larger than what the payload actually holds. Every refusal is an
 * {@link IllegalArgumentException} naming the field; nothing else is thrown. No field may be null,
 * on writing or on reading: a message without its vector or reply address is of no use to its
 * receiver, and saying so at the sender is clearer than a failure at the receiver.
 *
 * <p>The byte layout, unchanged from Kryo's own encodings:
 * <ul>
 *   <li>int: a varint of 1 to 5 bytes, 7 bits a byte, least significant group first (Kryo's
 *       {@code writeVarInt(v, true)}); a negative value takes 5 bytes.</li>
 *   <li>long: 8 bytes, little-endian. double: its raw IEEE 754 bits as a long, so every NaN payload
 *       and both infinities travel as they are (receivers decide what a non-finite value means).</li>
 *   <li>double[]: its length as a varint, then each element as a double. A block's vectors (double[][]):
 *       one double[] per slot of the message, with no count of their own.</li>
 *   <li>int[]: its length as a varint, then each element as a zigzag varint (Kryo's
 *       {@code writeInts(a, 0, n, false)}).</li>
 *   <li>String: (UTF-8 byte count + 1) as a varint, then the bytes; the value 0, Kryo's null, is
 *       refused.</li>
 *   <li>actor reference: Pekko's serialization format of it ({@link ActorRefResolver}), as a String.</li>
 * </ul>
 *
 * <p>One instance per Kryo instance, and so used by one thread at a time (it holds a UTF-8 decoder).
 */
final class WireFields {

    /** Longest string a message may carry, in UTF-8 bytes (actor paths, algorithm names, outcomes). */
    static final int MAX_TEXT_BYTES = 64 * 1024;

    private final ActorRefResolver resolver;
    private final int maxVectorLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * @param resolver        turns actor references into text and back
     * @param maxVectorLength longest array a message may carry, sent or received
     *                        ({@code fedlink.serialization.max-vector-length})
     */
    WireFields(ActorRefResolver resolver, int maxVectorLength) {
        this.resolver = resolver;
        this.maxVectorLength = maxVectorLength;
    }

    void writeInt(Output out, int value) {
        out.writeVarInt(value, true);
    }

    int readInt(Input in, String what) {
        return readVarInt(in, what);
    }

    void writeLong(Output out, long value) {
        out.writeLong(value);
    }

    long readLong(Input in, String what) {
        requireRemaining(in, Long.BYTES, what);
        return in.readLong();
    }

    /** Raw bits: Kryo's writeDouble uses doubleToLongBits, which would canonicalise NaN payloads. */
    void writeDouble(Output out, double value) {
        out.writeLong(Double.doubleToRawLongBits(value));
    }

    double readDouble(Input in, String what) {
        return Double.longBitsToDouble(readLong(in, what));
    }

    void writeDoubles(Output out, double[] values, String what) {
        writeLength(out, requireNonNull(values, what).length, what);
        for (double value : values) {
            out.writeLong(Double.doubleToRawLongBits(value));
        }
    }

    double[] readDoubles(Input in, String what) {
        final int length = readLength(in, what);
        requireRemaining(in, (long) length * Double.BYTES, what);
        return in.readDoubles(length);                       // longBitsToDouble: every bit kept
    }

    /**
     * A block's vectors, one per slot: each a double[] as above, with no count of their own (the message's
     * slots give it).
     */
    void writeVectors(Output out, double[][] vectors, String what) {
        for (double[] vector : requireNonNull(vectors, what)) {
            writeDoubles(out, vector, what);
        }
    }

    /** {@code count} vectors as {@link #writeVectors} writes them; each takes at least a byte, checked first. */
    double[][] readVectors(Input in, int count, String what) {
        requireRemaining(in, count, what);
        final double[][] vectors = new double[count][];
        for (int i = 0; i < count; i++) {
            vectors[i] = readDoubles(in, what);
        }
        return vectors;
    }

    /** A count of items that follow (at most the array limit), as a varint. */
    void writeCount(Output out, int count, String what) {
        writeLength(out, count, what);
    }

    /**
     * A count of items that follow, each at least {@code minimumBytes} long: refused when negative, above
     * the array limit, or more than the payload could hold.
     */
    int readCount(Input in, int minimumBytes, String what) {
        final int count = readLength(in, what);
        requireRemaining(in, (long) count * minimumBytes, what);
        return count;
    }

    void writeInts(Output out, int[] values, String what) {
        writeLength(out, requireNonNull(values, what).length, what);
        out.writeInts(values, 0, values.length, false);
    }

    int[] readInts(Input in, String what) {
        final int length = readLength(in, what);
        requireRemaining(in, length, what);                  // each element takes at least one byte
        final int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            final int zigzag = readVarInt(in, what);
            values[i] = (zigzag >>> 1) ^ -(zigzag & 1);
        }
        return values;
    }

    void writeText(Output out, String text, String what) {
        requireNonNull(text, what);
        requireWellFormed(text, what);
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException(what + " of " + bytes.length + " bytes: the limit is " + MAX_TEXT_BYTES);
        }
        out.writeVarInt(bytes.length + 1, true);
        out.writeBytes(bytes);
    }

    String readText(Input in, String what) {
        final int declared = readVarInt(in, what);
        if (declared == 0) {
            throw nullField(what);
        }
        if (declared < 0 || declared - 1 > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException(what + " of " + (Integer.toUnsignedLong(declared) - 1)
                    + " bytes refused: the limit is " + MAX_TEXT_BYTES);
        }
        final int length = declared - 1;
        requireRemaining(in, length, what);
        final byte[] buffer = in.getBuffer();
        final int start = in.position();
        final String text = decodeUtf8(buffer, start, length, what);
        in.setPosition(start + length);
        return text;
    }

    void writeRef(Output out, ActorRef<?> ref, String what) {
        writeText(out, resolver.toSerializationFormat(requireNonNull(ref, what)), what);
    }

    /**
     * Resolves the reference, and refuses it unless it serializes back to the very text it came from
     * (Pekko resolves an invalid path to dead letters, and normalises some paths).
     */
    <T> ActorRef<T> readRef(Input in, String what) {
        final String text = readText(in, what);
        final ActorRef<T> ref;
        final String again;
        try {
            ref = resolver.resolveActorRef(text);
            again = resolver.toSerializationFormat(ref);
        } catch (RuntimeException e) {                       // e.g. NumberFormatException for a uid "#abc"
            // Neither e nor its message: both repeat the text unescaped.
            throw new IllegalArgumentException(what + " " + excerpt(text) + " does not resolve (the resolver threw "
                    + e.getClass().getName() + ")");
        }
        if (!again.equals(text)) {
            throw new IllegalArgumentException(what + " " + excerpt(text) + " does not resolve to itself but to "
                    + excerpt(again));
        }
        return ref;
    }

    /**
     * Reads a varint written by {@code Output.writeVarInt(value, true)}, refusing every other form:
     * a zero last byte after the first (an overlong encoding), a fifth byte with more than the 4 bits
     * left of an int, a sixth byte.
     */
    static int readVarInt(Input in, String what) {
        final byte[] buffer = in.getBuffer();
        final int limit = in.limit();
        int position = in.position();
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            if (position == limit) {
                throw new IllegalArgumentException(what + " is cut off: the payload ends inside it");
            }
            final byte b = buffer[position++];
            value |= (b & 0x7F) << shift;
            if (b >= 0) {                                    // no continuation bit: the last byte
                if (b == 0 && shift > 0) {
                    throw new IllegalArgumentException(what + " is an overlong varint");
                }
                if (shift == 28 && b > 0x0F) {
                    throw new IllegalArgumentException(what + " is a varint of more than 32 bits");
                }
                in.setPosition(position);
                return value;
            }
            if (shift == 28) {
                throw new IllegalArgumentException(what + " is a varint of more than 5 bytes");
            }
        }
    }

    /** Refuses a declared size the payload does not hold, before anything is allocated for it. */
    static void requireRemaining(Input in, long bytes, String what) {
        final int remaining = in.limit() - in.position();
        if (bytes > remaining) {
            throw new IllegalArgumentException(what + " needs " + bytes + " bytes but the payload has " + remaining
                    + " left");
        }
    }

    private void writeLength(Output out, int length, String what) {
        if (length > maxVectorLength) {
            throw tooLong(length, what);
        }
        out.writeVarInt(length, true);
    }

    private int readLength(Input in, String what) {
        final int length = readVarInt(in, what);
        if (length < 0 || length > maxVectorLength) {
            throw tooLong(length, what);
        }
        return length;
    }

    private IllegalArgumentException tooLong(int length, String what) {
        return new IllegalArgumentException(what + " of length " + Integer.toUnsignedString(length)
                + " refused: the limit is " + maxVectorLength + " (fedlink.serialization.max-vector-length)");
    }

    /** ASCII (actor paths, names) is copied as it is; anything else goes through the strict decoder. */
    private String decodeUtf8(byte[] buffer, int start, int length, String what) {
        for (int i = start; i < start + length; i++) {
            if (buffer[i] < 0) {
                try {
                    return utf8.decode(ByteBuffer.wrap(buffer, start, length)).toString();
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException(what + " is not well-formed UTF-8 (" + e + ")");
                }
            }
        }
        return new String(buffer, start, length, StandardCharsets.US_ASCII);
    }

    /** String.getBytes would replace an unpaired surrogate with '?': refuse it instead. */
    private static void requireWellFormed(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " holds an unpaired surrogate at index " + i
                        + ": it has no UTF-8 form");
            }
        }
    }

    private static <T> T requireNonNull(T value, String what) {
        if (value == null) {
            throw nullField(what);
        }
        return value;
    }

    private static IllegalArgumentException nullField(String what) {
        return new IllegalArgumentException(what + " is null: no field of a protocol message may be null");
    }

    /**
     * The start of a text from the payload, for an error message that Pekko logs: bounded in size,
     * and with control characters replaced, so that a payload cannot write lines of its own into the log.
     */
    private static String excerpt(String text) {
        final StringBuilder b = new StringBuilder(Math.min(text.length(), 120) + 5).append('"');
        for (int i = 0; i < Math.min(text.length(), 120); i++) {
            final char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.append(text.length() > 120 ? "...\"" : "\"").toString();
    }
}
