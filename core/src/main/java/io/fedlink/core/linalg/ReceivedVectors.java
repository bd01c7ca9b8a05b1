package io.fedlink.core.linalg;

/**
 * What a receiver checks of a vector that came over a link before it touches any state: its length
 * and that every element is a finite number. A NaN or an infinity in one upload would otherwise
 * poison the global model, and through it every client, for the rest of the trial.
 */
public final class ReceivedVectors {

    private ReceivedVectors() {
    }

    /**
     * Why {@code vector} cannot be taken as a transmission of length {@code dimension} (L, or what the
     * algorithm declares), or null when it can.
     *
     * @param vector the received vector, possibly null; not modified
     */
    public static String problem(double[] vector, int dimension) {
        if (vector == null) {
            return "it carries no vector";
        }
        if (vector.length != dimension) {
            return "its vector has length " + vector.length + ", expected " + dimension;
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Double.isFinite(vector[i])) {
                return "element " + i + " of its vector is " + vector[i] + ", not a finite number";
            }
        }
        return null;
    }
}
