package io.fedlink.core.engine;

import io.fedlink.core.algorithm.FederatedAlgorithm;

/**
 * One learning curve of an experiment: an algorithm, the number C of clients polled per round, and
 * the link-noise variances (the same on every client's links).
 */
public record SeriesSpec(FederatedAlgorithm algorithm, int selected, double uplinkVariance, double downlinkVariance) {

    public SeriesSpec {
        if (selected < 1) {
            throw new IllegalArgumentException("C must be at least 1, got " + selected);
        }
        if (!(uplinkVariance >= 0.0) || !(downlinkVariance >= 0.0)
                || Double.isInfinite(uplinkVariance) || Double.isInfinite(downlinkVariance)) {
            throw new IllegalArgumentException("link noise variances must be finite and >= 0, got uplink "
                    + uplinkVariance + ", downlink " + downlinkVariance);
        }
    }

    /** A stable, human-readable name, e.g. {@code rerce C=4 up=0.000625 down=0.000625}. */
    public String label() {
        return algorithm.id() + " C=" + selected + " up=" + format(uplinkVariance) + " down=" + format(downlinkVariance);
    }

    /** Shorter legend text for plots: the uplink/downlink pair is shown once when they agree. */
    public String legend() {
        final String noise = uplinkVariance == downlinkVariance
                ? "σ²=" + format(uplinkVariance)
                : "σ²up=" + format(uplinkVariance) + " σ²down=" + format(downlinkVariance);
        return algorithm.id() + ", C=" + selected + ", " + noise;
    }

    /** Shortest exact decimal form of a variance, as typed on a command line (6.25E-4 reads 6.25e-4). */
    public static String format(double value) {
        return Double.toString(value).replace('E', 'e');
    }
}
