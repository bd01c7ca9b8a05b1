package io.fedlink.actors;

/** How messages and logs name the trials of a block: "trial 3", "trials 0-49", "trials 3, 7, 8". */
final class Trials {

    private Trials() {
    }

    static String describe(int[] trials) {
        if (trials.length == 1) {
            return "trial " + trials[0];
        }
        boolean consecutive = true;
        for (int i = 1; i < trials.length; i++) {
            consecutive &= trials[i] == trials[i - 1] + 1;
        }
        if (consecutive && trials.length > 0) {
            return "trials " + trials[0] + "-" + trials[trials.length - 1];
        }
        final StringBuilder b = new StringBuilder("trials ");
        for (int i = 0; i < trials.length; i++) {
            b.append(i == 0 ? "" : ", ").append(trials[i]);
        }
        return b.toString();
    }
}
