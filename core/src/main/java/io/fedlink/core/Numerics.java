package io.fedlink.core;

/**
 * The version of the numbers a seed produces. The determinism contract (ARCHITECTURE.md) promises
 * the same curves from the same command line; that holds within one version of the random streams,
 * the client constants and the fixed summation orders. Checkpoints and the cluster's federation
 * description carry this version, so that a run never resumes from, or joins, numbers computed by
 * another. Bump it with any change that alters what a seed gives (a test pins the streams).
 */
public final class Numerics {

    /**
     * 1: session 1 (polar Gaussians, Cholesky constants). 2: ziggurat Gaussians, constants from the
     * SVD of X_k, the continual client in P_k's eigenbasis, four-way partial sums in the metric.
     */
    public static final int VERSION = 2;

    private Numerics() {
    }

    /** "numerics 2": how fingerprints name it. */
    public static String describe() {
        return "numerics " + VERSION;
    }
}
