package io.fedlink.cli;

import io.fedlink.core.data.FederatedProblem;
import java.util.Locale;

/**
 * The warning for a federation with nothing to do (SPEC 7.3): when every client holds at least L
 * samples its local problem is already solved, P_k = rho N_k is tiny (about rho / (2 W s_min)), and
 * the clients barely move from their local solutions whatever the algorithm, C or link noise.
 */
final class TrivialProblem {

    /** Below this total movement over the horizon (largest eigenvalue of P_k times T), nothing moves. */
    static final double NEGLIGIBLE_MOVEMENT = 0.1;

    private TrivialProblem() {
    }

    /**
     * The warning text, or null when some client can move: its samples leave directions open (d_k &lt; L),
     * or rho is large enough that P_k times the horizon is not negligible.
     *
     * @param samplesFlag how the sample counts were set, e.g. {@code --samples 20-40}
     * @param dimFlag     how L was set, e.g. {@code --dim 8}
     * @param what        what will look alike, e.g. {@code every algorithm, C and noise level}
     */
    static String warning(FederatedProblem problem, int rounds, String samplesFlag, String dimFlag, String what) {
        final double largest = problem.largestPenalisedEigenvalue();
        if (largest * rounds >= NEGLIGIBLE_MOVEMENT) {
            return null;
        }
        return String.format(Locale.ROOT, "every client holds at least L = %d samples (%s, %s), so every local "
                + "problem is already solved: P_k = rho N_k has no eigenvalue above %.2g, and in %d rounds no client "
                + "moves more than %.2g%% of the way from its local solution. %s will give nearly the same NMSE "
                + "(SPEC 7.3); to exercise the federation give fewer samples than L (e.g. --samples 2-5 at --dim 6) "
                + "or a larger --rho.", problem.dimension(), samplesFlag, dimFlag, largest, rounds,
                100 * largest * rounds, Character.toUpperCase(what.charAt(0)) + what.substring(1));
    }
}
