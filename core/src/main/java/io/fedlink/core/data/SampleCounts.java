package io.fedlink.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How many samples d_k each client holds.
 *
 * <p>The paper's own counts for its K = 100 experiments (51..90 per client, 7038 in all) ship as a
 * resource; any other federation draws d_k uniformly from an inclusive range, from client k's data
 * stream (SPEC section 6).
 */
public sealed interface SampleCounts {

    /** Number of clients the paper's counts describe. */
    int PAPER_CLIENTS = 100;

    /** The paper's per-client sample counts, for K = 100. */
    static SampleCounts paper() {
        return PaperCounts.INSTANCE;
    }

    /** d_k uniform on {min, ..., max}. */
    static SampleCounts uniform(int min, int max) {
        return new UniformRange(min, max);
    }

    /** The default of SPEC section 6: the paper's counts when K = 100, otherwise U{50..90}. */
    static SampleCounts defaultFor(int clients) {
        return clients == PAPER_CLIENTS ? paper() : uniform(50, 90);
    }

    /** A short description for command lines and reports, e.g. {@code paper} or {@code 50-90}. */
    String describe();

    /** The paper's counts, read once from the resource {@code paper-client-sample-counts.csv}. */
    record PaperCounts(int[] counts) implements SampleCounts {
        static final PaperCounts INSTANCE = new PaperCounts(load());

        public PaperCounts {
            counts = counts.clone();
        }

        /** All counts in client order, a copy (the instance is shared by the whole JVM). */
        @Override
        public int[] counts() {
            return counts.clone();
        }

        /** d_k of client k. */
        public int count(int clientId) {
            return counts[clientId];
        }

        @Override
        public String describe() {
            return "paper";
        }

        private static int[] load() {
            final String resource = "paper-client-sample-counts.csv";
            try (InputStream in = SampleCounts.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                final BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                final List<Integer> values = new ArrayList<>();
                String line = reader.readLine(); // header: client,samples
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    final String[] cells = line.split(",");
                    final int client = Integer.parseInt(cells[0].trim());
                    if (client != values.size()) {
                        throw new IllegalStateException(resource + ": clients out of order at " + line);
                    }
                    values.add(Integer.parseInt(cells[1].trim()));
                }
                return values.stream().mapToInt(Integer::intValue).toArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** d_k uniform on the inclusive range {min, ..., max}. */
    record UniformRange(int min, int max) implements SampleCounts {
        public UniformRange {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException(
                        "sample range must satisfy 1 <= min <= max, got " + min + "-" + max);
            }
        }

        @Override
        public String describe() {
            return min + "-" + max;
        }
    }
}
