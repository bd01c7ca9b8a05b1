package io.fedlink.core.link;

import io.fedlink.core.random.RandomStream;
import io.fedlink.core.random.StreamKeys;
import io.fedlink.core.random.StreamPurpose;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The link budget of a federation: how client k's uplink and downlink noise variances relate to the
 * experiment's noise flags (SPEC section 2 allows per-client variances). As the command line writes it
 * ({@link #GRAMMAR}):
 * <ul>
 *   <li>{@code uniform}: every client gets the flags' variances (the paper's experiments, the default);</li>
 *   <li>{@code pathloss:EXPONENT}: clients are placed uniformly at random in a disc (from the seed, their
 *       own stream, the same on every node) at distances d_k from its centre, and client k's variances
 *       are the flags' times d_k^EXPONENT / mean_j d_j^EXPONENT, so that the mean over clients is the
 *       flags' value and client k's link is (d_k / d_mean)^EXPONENT worse than a typical one;</li>
 *   <li>{@code FILE.csv}: absolute variances, one {@code client,uplink_noise,downlink_noise} row per
 *       client (the noise flags are then not used).</li>
 * </ul>
 */
public sealed interface LinkBudget permits LinkBudget.Uniform, LinkBudget.PathLoss, LinkBudget.FromFile {

    /** What {@link #parse} accepts, for error messages. */
    String GRAMMAR = "uniform, pathloss:EXPONENT (a finite number >= 0), or FILE.csv with a "
            + "client,uplink_noise,downlink_noise row for every client";

    /**
     * Client k's variances given the series' noise values.
     *
     * @return {uplink, downlink} variance of each client, [K][2]
     */
    double[][] variances(long seed, int clients, double uplinkVariance, double downlinkVariance);

    /** The budget as the command line writes it. */
    String describe();

    /** True when the noise flags set the variances (not a file's absolute values). */
    default boolean usesNoiseFlags() {
        return true;
    }

    /** The same variances on every link. */
    record Uniform() implements LinkBudget {
        @Override
        public double[][] variances(long seed, int clients, double uplinkVariance, double downlinkVariance) {
            final double[][] v = new double[clients][];
            Arrays.fill(v, new double[] {uplinkVariance, downlinkVariance});
            return v;
        }

        @Override
        public String describe() {
            return "uniform";
        }
    }

    /** Path loss over a disc: variance proportional to distance^exponent, mean preserved. */
    record PathLoss(double exponent) implements LinkBudget {
        public PathLoss {
            if (!(exponent >= 0.0) || Double.isInfinite(exponent)) {
                throw new IllegalArgumentException("the path-loss exponent must be a finite number >= 0, got " + exponent);
            }
        }

        /** Client k's factor d_k^EXPONENT / mean_j d_j^EXPONENT (mean 1 over clients). */
        public double[] factors(long seed, int clients) {
            final double[] power = new double[clients];
            double sum = 0.0;
            for (int k = 0; k < clients; k++) {
                // Uniform in the unit disc: the distance to the centre is sqrt(u).
                final RandomStream place = StreamKeys.stream(seed, 0, StreamPurpose.LINK_BUDGET, k);
                power[k] = StrictMath.pow(StrictMath.sqrt(place.nextDouble()), exponent);
                sum += power[k];
            }
            final double mean = sum / clients;
            for (int k = 0; k < clients; k++) {
                power[k] = mean > 0.0 ? power[k] / mean : 1.0;
            }
            return power;
        }

        @Override
        public double[][] variances(long seed, int clients, double uplinkVariance, double downlinkVariance) {
            final double[] f = factors(seed, clients);
            final double[][] v = new double[clients][];
            for (int k = 0; k < clients; k++) {
                v[k] = new double[] {uplinkVariance * f[k], downlinkVariance * f[k]};
            }
            return v;
        }

        @Override
        public String describe() {
            return "pathloss:" + ChannelSpec.number(exponent);
        }
    }

    /** Absolute per-client variances from a CSV file, read once. */
    record FromFile(String file, double[][] table) implements LinkBudget {
        @Override
        public double[][] variances(long seed, int clients, double uplinkVariance, double downlinkVariance) {
            if (table.length != clients) {
                throw new IllegalArgumentException(file + " gives variances for " + table.length + " clients, the "
                        + "federation has K = " + clients);
            }
            final double[][] v = new double[clients][];
            for (int k = 0; k < clients; k++) {
                v[k] = table[k].clone();
            }
            return v;
        }

        @Override
        public boolean usesNoiseFlags() {
            return false;
        }

        /** The mean uplink and downlink variance over clients, {uplink, downlink}. */
        public double[] means() {
            double up = 0;
            double down = 0;
            for (double[] row : table) {
                up += row[0];
                down += row[1];
            }
            return new double[] {up / table.length, down / table.length};
        }

        @Override
        public String describe() {
            return file;
        }

        /**
         * Reads {@code client,uplink_noise,downlink_noise} rows (a header line with those names first)
         * for clients 0..K-1, in any order.
         *
         * @throws IllegalArgumentException naming the file, line and column that are wrong
         */
        public static FromFile read(Path path, int clients) {
            final List<String> lines;
            try {
                lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                final String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : e instanceof java.nio.charset.CharacterCodingException ? "not UTF-8 text"
                        : e.getMessage();
                throw new IllegalArgumentException("cannot read the link budget " + path + ": " + why
                        + " (expected a CSV file of client,uplink_noise,downlink_noise rows)", e);
            }
            if (lines.isEmpty() || !lines.get(0).trim().replace(" ", "").toLowerCase(Locale.ROOT)
                    .equals("client,uplink_noise,downlink_noise")) {
                throw new IllegalArgumentException(path + ", line 1: expected the header client,uplink_noise,downlink_noise");
            }
            final double[][] table = new double[clients][];
            for (int i = 1; i < lines.size(); i++) {
                final String line = lines.get(i).trim();
                if (line.isEmpty()) {
                    continue;
                }
                final String[] cells = line.split(",", -1);
                final String where = path + ", line " + (i + 1);
                if (cells.length != 3) {
                    throw new IllegalArgumentException(where + ": expected 3 columns client,uplink_noise,downlink_noise, "
                            + "found " + cells.length);
                }
                final int k;
                try {
                    k = Integer.parseInt(cells[0].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ", column client: '" + cells[0].trim()
                            + "' is not a client id");
                }
                if (k < 0 || k >= clients) {
                    throw new IllegalArgumentException(where + ", column client: " + k + " is outside 0.." + (clients - 1));
                }
                if (table[k] != null) {
                    throw new IllegalArgumentException(where + ", column client: client " + k + " is given twice");
                }
                table[k] = new double[] {variance(cells[1], where, "uplink_noise"),
                    variance(cells[2], where, "downlink_noise")};
            }
            for (int k = 0; k < clients; k++) {
                if (table[k] == null) {
                    throw new IllegalArgumentException(path + ": no row for client " + k + " (every client 0.."
                            + (clients - 1) + " needs one)");
                }
            }
            return new FromFile(path.toString(), table);
        }

        private static double variance(String cell, String where, String column) {
            final double v;
            try {
                v = Double.parseDouble(cell.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ", column " + column + ": '" + cell.trim()
                        + "' is not a number");
            }
            if (!(v >= 0.0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(where + ", column " + column + ": " + cell.trim()
                        + " is not a finite variance >= 0");
            }
            return v;
        }
    }

    /**
     * Parses a budget.
     *
     * @param clients K, to check a file against
     * @throws IllegalArgumentException with the grammar, or the file, line and column that are wrong
     */
    static LinkBudget parse(String text, int clients) {
        final String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("uniform")) {
            return new Uniform();
        }
        if (t.toLowerCase(Locale.ROOT).startsWith("pathloss:")) {
            final String exponent = t.substring("pathloss:".length()).trim();
            try {
                return new PathLoss(Double.parseDouble(exponent));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("link budget '" + t + "': the exponent '" + exponent
                        + "' is not a number; expected " + GRAMMAR);
            }
        }
        if (t.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return FromFile.read(Path.of(t), clients);
        }
        throw new IllegalArgumentException("link budget '" + t + "': expected " + GRAMMAR);
    }
}
