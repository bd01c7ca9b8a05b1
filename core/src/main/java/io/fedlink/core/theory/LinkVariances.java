package io.fedlink.core.theory;

import java.util.Arrays;

/**
 * The link budget the theory is evaluated at: the noise variance of every client's uplink
 * (s2_up_k, client to server) and downlink (s2_down_k, server to client), SPEC section 2. The
 * paper's experiments use one value for every link; the theory accepts any per-client values.
 *
 * <p>The arrays are copied on the way in and on the way out, so an instance is immutable.
 */
public final class LinkVariances {

    private final double[] uplink;
    private final double[] downlink;

    private LinkVariances(double[] uplink, double[] downlink) {
        if (uplink.length != downlink.length) {
            throw new IllegalArgumentException("uplink and downlink variances must cover the same clients, got "
                    + uplink.length + " and " + downlink.length);
        }
        if (uplink.length == 0) {
            throw new IllegalArgumentException("link variances must cover at least one client");
        }
        for (int k = 0; k < uplink.length; k++) {
            check(uplink[k], "uplink", k);
            check(downlink[k], "downlink", k);
        }
        this.uplink = uplink;
        this.downlink = downlink;
    }

    private static void check(double variance, String which, int clientId) {
        if (!(variance >= 0.0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException(which + " noise variance of client " + clientId
                    + " must be finite and >= 0, got " + variance);
        }
    }

    /** The same uplink and downlink variance on every one of {@code clients} clients. */
    public static LinkVariances uniform(int clients, double uplinkVariance, double downlinkVariance) {
        final double[] up = new double[clients];
        final double[] down = new double[clients];
        Arrays.fill(up, uplinkVariance);
        Arrays.fill(down, downlinkVariance);
        return new LinkVariances(up, down);
    }

    /** Noiseless links for {@code clients} clients. */
    public static LinkVariances noiseless(int clients) {
        return uniform(clients, 0.0, 0.0);
    }

    /** Per-client variances, index k for client k; both arrays are copied. */
    public static LinkVariances perClient(double[] uplinkVariances, double[] downlinkVariances) {
        return new LinkVariances(uplinkVariances.clone(), downlinkVariances.clone());
    }

    /** K. */
    public int clientCount() {
        return uplink.length;
    }

    /** s2_up_k. */
    public double uplink(int clientId) {
        return uplink[clientId];
    }

    /** s2_down_k. */
    public double downlink(int clientId) {
        return downlink[clientId];
    }

    /** All uplink variances, a copy. */
    public double[] uplinkVariances() {
        return uplink.clone();
    }

    /** All downlink variances, a copy. */
    public double[] downlinkVariances() {
        return downlink.clone();
    }

    /** sum_k s2_up_k. */
    public double uplinkTotal() {
        double sum = 0.0;
        for (double v : uplink) {
            sum += v;
        }
        return sum;
    }

    /** Every variance, uplink and downlink, multiplied by {@code factor} (>= 0). */
    public LinkVariances scaled(double factor) {
        if (!(factor >= 0.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("scale factor must be finite and >= 0, got " + factor);
        }
        final double[] up = uplink.clone();
        final double[] down = downlink.clone();
        for (int k = 0; k < up.length; k++) {
            up[k] *= factor;
            down[k] *= factor;
        }
        return new LinkVariances(up, down);
    }

    /** True when every link is noiseless. */
    public boolean isNoiseless() {
        for (int k = 0; k < uplink.length; k++) {
            if (uplink[k] != 0.0 || downlink[k] != 0.0) {
                return false;
            }
        }
        return true;
    }

    /** A short description, e.g. {@code up=0.01 down=0.01} or {@code per-client} when they differ. */
    public String describe() {
        final boolean sameUp = Arrays.stream(uplink).allMatch(v -> v == uplink[0]);
        final boolean sameDown = Arrays.stream(downlink).allMatch(v -> v == downlink[0]);
        if (sameUp && sameDown) {
            return "up=" + format(uplink[0]) + " down=" + format(downlink[0]);
        }
        return "per-client (sum up=" + format(uplinkTotal()) + ")";
    }

    private static String format(double value) {
        return Double.toString(value).replace('E', 'e');
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinkVariances that
                && Arrays.equals(uplink, that.uplink) && Arrays.equals(downlink, that.downlink);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(uplink) + Arrays.hashCode(downlink);
    }

    @Override
    public String toString() {
        return "LinkVariances[" + describe() + "]";
    }

    /** Refuses a setting these variances do not describe: C outside 1..K, or variances for another K. */
    void checkSetting(int clients, int selected) {
        if (selected < 1 || selected > clients) {
            throw new IllegalArgumentException("C must lie in 1.." + clients + ", got " + selected);
        }
        if (clientCount() != clients) {
            throw new IllegalArgumentException("link variances cover " + clientCount()
                    + " clients, the problem has K = " + clients);
        }
    }
}
