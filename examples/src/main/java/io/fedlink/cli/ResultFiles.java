package io.fedlink.cli;

import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The output files of an experiment, the interface other tools read (documented in the README; keep
 * the columns stable). Numbers are written with {@link Double#toString}, which round-trips exactly,
 * so two runs can be compared bit for bit from their CSV files.
 */
final class ResultFiles {

    static final String CURVES = "curves.csv";
    static final String SUMMARY = "summary.csv";
    static final String COMMAND = "command.txt";
    static final String PLOT = "nmse.png";
    static final String TIME_CURVES = "curves-time.csv";
    static final String TIME_PLOT = "nmse-time.png";
    static final String TIME_CURVES_HEADER =
            "series,algorithm,selected,uplink_noise,downlink_noise,round,seconds,nmse_db";

    static final String CURVES_HEADER = "series,algorithm,selected,uplink_noise,downlink_noise,round,nmse_db";
    static final String SUMMARY_HEADER =
            "series,algorithm,selected,uplink_noise,downlink_noise,steady_state_db,rounds,trials,seconds";

    private ResultFiles() {
    }

    /** Creates the folder if needed and proves it writable; returns null if fine, else the reason. */
    static String checkWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            final Path probe = Files.createTempFile(dir, ".fedlink-write-check", ".tmp");
            Files.delete(probe);
            return null;
        } catch (java.nio.file.AccessDeniedException e) {
            return "permission denied (" + e.getFile() + "); choose a folder you can write";
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return e.getFile() + " exists and is not a folder";
        } catch (IOException | SecurityException e) {
            return "cannot create or write files there (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    /** curves.csv: one row per series and round 1..T, NMSE in dB. */
    static void writeCurves(Path dir, List<SeriesResult> results) throws IOException {
        writeCurves(dir.resolve(CURVES), CURVES_HEADER, results, false);
    }

    /**
     * curves-time.csv (free-running mode): as curves.csv, with the wall-clock time at which each server
     * round closed, in seconds since the start-up round, averaged over trials.
     */
    static void writeTimedCurves(Path dir, List<SeriesResult> results) throws IOException {
        writeCurves(dir.resolve(TIME_CURVES), TIME_CURVES_HEADER, results, true);
    }

    private static void writeCurves(Path file, String header, List<SeriesResult> results, boolean withSeconds)
            throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(header);
            out.newLine();
            for (SeriesResult r : results) {
                final String prefix = seriesColumns(r.spec());
                final double[] db = r.nmseDb();
                for (int n = 0; n < db.length; n++) {
                    final String seconds = withSeconds
                            ? "," + String.format(Locale.ROOT, "%.6f", r.roundSeconds()[n]) : "";
                    out.write(prefix + "," + (n + 1) + seconds + "," + db[n]);
                    out.newLine();
                }
            }
        }
    }

    /** summary.csv: one row per series, steady state as SPEC section 5 defines it. */
    static void writeSummary(Path dir, List<SeriesResult> results) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(SUMMARY), StandardCharsets.UTF_8)) {
            out.write(SUMMARY_HEADER);
            out.newLine();
            for (SeriesResult r : results) {
                out.write(seriesColumns(r.spec()) + "," + r.steadyStateDb() + "," + r.rounds() + "," + r.trials()
                        + "," + String.format(Locale.ROOT, "%.3f", r.seconds()));
                out.newLine();
            }
        }
    }

    /** command.txt: the command as typed, and one that reproduces the run with every parameter explicit. */
    static void writeCommand(Path dir, String typed, String reproducing, String engine) throws IOException {
        final String text = "# fedlink " + Fedlink.version() + ", engine " + engine + ", Java "
                + System.getProperty("java.version") + "\n"
                + "# as typed\n" + typed + "\n"
                + "# every parameter explicit (reproduces this run bit for bit)\n" + reproducing + "\n";
        Files.writeString(dir.resolve(COMMAND), text, StandardCharsets.UTF_8);
    }

    private static String seriesColumns(SeriesSpec s) {
        return s.label() + "," + s.algorithm().id() + "," + s.selected() + ","
                + SeriesSpec.format(s.uplinkVariance()) + "," + SeriesSpec.format(s.downlinkVariance());
    }
}
