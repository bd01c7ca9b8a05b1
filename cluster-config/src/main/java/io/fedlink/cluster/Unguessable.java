package io.fedlink.cluster;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Names for actors whose reference is a capability. A remote peer can address an actor by its path
 * alone (Pekko delivers a message for a path without its uid to whatever actor has that name), so an
 * actor that must hear only from the holders of its reference gets a name no one can guess: its
 * purpose, then 128 random bits.
 */
final class Unguessable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Unguessable() {
    }

    /** {@code purpose-<32 hex digits>}. */
    static String name(String purpose) {
        final byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return purpose + "-" + HexFormat.of().formatHex(bits);
    }
}
