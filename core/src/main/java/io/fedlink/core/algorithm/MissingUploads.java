package io.fedlink.core.algorithm;

import java.util.Locale;

/**
 * What a server that averages its round's uploads divides by when some of the clients it polled were
 * not heard (a lost poll, a lost upload, a dropped client). With every polled client heard the two
 * agree, so the choice changes nothing on a loss-free link.
 *
 * <ul>
 *   <li>{@link #RECEIVED} (the default): the mean of the uploads received. An unbiased estimate of
 *       the consensus whatever was lost; what the runtime always did for dropped clients.</li>
 *   <li>{@link #BY_C}: the paper's rule taken literally, w_{n+1} = (1/C) sum of the received uploads
 *       (eq. 12), C the number polled. A lost upload then pulls the global model towards 0 by 1/C of
 *       it; in exchange the round stays affine in the state, so the exact theory (SPEC 7.2) extends
 *       to erasures.</li>
 * </ul>
 * `rerce-continual` averages the K latest uploads whatever arrived (a lost one leaves the stale one
 * in place), so the choice does not apply to it.
 */
public enum MissingUploads {
    /** Divide by the number of uploads received. */
    RECEIVED("received"),
    /** Divide by the number of clients polled (C), as eq. (12) writes it. */
    BY_C("by-C");

    private final String id;

    MissingUploads(String id) {
        this.id = id;
    }

    /** The name used by {@code --missing}. */
    public String id() {
        return id;
    }

    /** The policy named {@code name} ({@code by-C} or {@code received}, any case). */
    public static MissingUploads byId(String name) {
        final String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (MissingUploads m : values()) {
            if (m.id.toLowerCase(Locale.ROOT).equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown rule for missing uploads '" + name + "'; expected by-C or received");
    }

    /** What to divide the sum of {@code received} uploads by, when {@code polled} clients were polled. */
    public int denominator(int polled, int received) {
        return this == BY_C ? polled : received;
    }
}
