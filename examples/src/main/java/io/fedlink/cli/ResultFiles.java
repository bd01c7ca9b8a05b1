package io.fedlink.cli;

import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.engine.TrialCurves;
import io.fedlink.core.metric.ConfidenceBand;
import io.fedlink.core.metric.Nmse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The output files of an experiment, the interface other tools read (documented in the README; keep
 * the columns stable: they change only by appending). Numbers are written with
 * {@link Double#toString}, which round-trips exactly, so two runs can be compared bit for bit from
 * their CSV files. Every file is written and read ({@code fedlink plot}) in one CSV dialect.
 */
final class ResultFiles {

    static final String CURVES = "curves.csv";
    static final String SUMMARY = "summary.csv";
    static final String TRIALS = "trials.csv";
    static final String COMMAND = "command.txt";
    static final String PLOT = "nmse.png";
    static final String TIME_CURVES = "curves-time.csv";
    static final String TIME_PLOT = "nmse-time.png";
    /** Written instead of the usual files by a run that stopped early (see {@link PartialResults}). */
    static final String INCOMPLETE = "INCOMPLETE.txt";
    /** The suffix of the data files of a run that stopped early: curves-incomplete.csv and so on. */
    static final String INCOMPLETE_SUFFIX = "-incomplete";

    static final String CURVES_HEADER =
            "series,algorithm,selected,uplink_noise,downlink_noise,round,nmse_db,nmse_db_lo,nmse_db_hi,"
                    + "uplink_channel,downlink_channel,algorithm_options";
    static final String TIME_CURVES_HEADER =
            "series,algorithm,selected,uplink_noise,downlink_noise,round,seconds,nmse_db,nmse_db_lo,nmse_db_hi,"
                    + "uplink_channel,downlink_channel,algorithm_options";
    static final String SUMMARY_HEADER = "series,algorithm,selected,uplink_noise,downlink_noise,steady_state_db,"
            + "rounds,trials,seconds,clients,dim,rho,seed,scheduler,mode,engine,diverged_round,"
            + "steady_state_db_lo,steady_state_db_hi,uplink_channel,downlink_channel,lost_uplinks,lost_downlinks,"
            + "link_budget,missing_uploads,uplink_bytes_per_round,downlink_bytes_per_round,algorithm_options,"
            + "upload_length,broadcast_length";
    /** partition.csv (with --data): the client of every data row, row 0 being the file's line 2. */
    static final String PARTITION = "partition.csv";
    static final String PARTITION_HEADER = "row,client";
    static final String TRIALS_HEADER = "series,trial,round,nmse_db";

    /** The one CSV dialect: RFC 4180 quoting where needed, '\n' line ends. */
    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();

    /** Files that mean "this folder holds results": an output folder holding one is not overwritten. */
    static final List<String> RESULT_MARKERS = List.of(CURVES, SUMMARY, INCOMPLETE, "sweep.csv", "theory.csv",
            incomplete(CURVES), incomplete(SUMMARY), incomplete("sweep.csv"));

    private ResultFiles() {
    }

    /** The name a data file takes when its run stopped early: curves.csv becomes curves-incomplete.csv. */
    static String incomplete(String name) {
        final int dot = name.lastIndexOf('.');
        return name.substring(0, dot) + INCOMPLETE_SUFFIX + name.substring(dot);
    }

    /**
     * What the summary and the command file say about a run besides its series: the experiment, how
     * it ran, and whether its explicit command line reproduces it bit for bit.
     *
     * @param engine      {@code actors}, {@code reference} or {@code cluster}
     * @param mode        {@code lockstep} or {@code free-running}
     * @param description the engine as command.txt's first line names it, e.g. {@code actors (lockstep)}
     */
    record Run(Experiment experiment, String engine, String mode, String description) {

        boolean reproducible() {
            return mode.equals("lockstep");
        }
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

    /**
     * Whether {@code dir} can be made and written, without making it: a probe file is written and
     * removed in its nearest existing ancestor (so a run refused later leaves no folder behind).
     *
     * @return null when it can, else why not
     */
    static String checkCreatable(Path dir) {
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return "no part of the path exists";
        }
        if (!Files.isDirectory(existing)) {
            return existing + " exists and is not a folder";
        }
        try {
            final Path probe = Files.createTempFile(existing, ".fedlink-write-check", ".tmp");
            Files.delete(probe);
            return null;
        } catch (java.nio.file.AccessDeniedException e) {
            return "permission denied (" + existing + "); choose a folder you can write";
        } catch (IOException | SecurityException e) {
            return "cannot create or write files in " + existing + (e.getMessage() != null
                    && !e.getMessage().startsWith(existing.toString()) ? " (" + e.getMessage() + ")" : "");
        }
    }

    /** The result files already in {@code dir} (see {@link #RESULT_MARKERS}); empty if none or no folder. */
    static List<String> resultsIn(Path dir) {
        final List<String> found = new ArrayList<>();
        for (String name : RESULT_MARKERS) {
            if (Files.isRegularFile(dir.resolve(name))) {
                found.add(name);
            }
        }
        return found;
    }

    static CSVPrinter printer(Path file, String header) throws IOException {
        final BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        final CSVPrinter printer = new CSVPrinter(writer, FORMAT);
        printer.printRecord((Object[]) header.split(","));
        return printer;
    }

    /** curves.csv: one row per series and round 1..T, NMSE in dB with its 95% band (empty with one trial). */
    static void writeCurves(Path file, List<SeriesResult> results) throws IOException {
        writeCurves(file, CURVES_HEADER, results, false);
    }

    /**
     * curves-time.csv (free-running mode): as curves.csv, with the wall-clock time at which each server
     * round closed, in seconds since the start-up round, averaged over trials.
     */
    static void writeTimedCurves(Path file, List<SeriesResult> results) throws IOException {
        writeCurves(file, TIME_CURVES_HEADER, results, true);
    }

    private static void writeCurves(Path file, String header, List<SeriesResult> results, boolean withSeconds)
            throws IOException {
        try (CSVPrinter out = printer(file, header)) {
            for (SeriesResult r : results) {
                final List<String> prefix = seriesColumns(r.spec());
                final double[] db = r.nmseDb();
                final ConfidenceBand band = r.band();
                final double[] lo = band == null ? null : band.lowerDb();
                final double[] hi = band == null ? null : band.upperDb();
                for (int n = 0; n < db.length; n++) {
                    final List<Object> row = new ArrayList<>(prefix);
                    row.add(n + 1);
                    if (withSeconds) {
                        row.add(String.format(Locale.ROOT, "%.6f", r.roundSeconds()[n]));
                    }
                    row.add(db[n]);
                    row.add(lo == null ? "" : lo[n]);
                    row.add(hi == null ? "" : hi[n]);
                    row.add(r.spec().uplinkChannel().describe());
                    row.add(r.spec().downlinkChannel().describe());
                    row.add(r.spec().settings().describe());
                    out.printRecord(row);
                }
            }
        }
    }

    /**
     * summary.csv: one row per series, steady state as SPEC section 5 defines it (+Infinity for a
     * series that diverged, whose round is then in diverged_round), then the setting that makes the
     * row self-describing, then the 95% interval of the steady state.
     */
    static void writeSummary(Path file, Run run, List<SeriesResult> results) throws IOException {
        try (CSVPrinter out = printer(file, SUMMARY_HEADER)) {
            for (List<Object> row : summaryRows(run, results)) {
                out.printRecord(row);
            }
        }
    }

    /** The rows of summary.csv (sweep.csv repeats them after the swept values). */
    static List<List<Object>> summaryRows(Run run, List<SeriesResult> results) {
        final Experiment e = run.experiment();
        final List<List<Object>> rows = new ArrayList<>();
        for (SeriesResult r : results) {
            final int diverged = r.divergedRound();
            final ConfidenceBand band = steadyStateBand(r);
            final List<Object> row = new ArrayList<>(seriesColumns(r.spec()));
            row.add(diverged > 0 ? Double.POSITIVE_INFINITY : r.steadyStateDb());
            row.add(r.rounds());
            row.add(r.trials());
            row.add(String.format(Locale.ROOT, "%.3f", r.seconds()));
            row.add(e.clients());
            row.add(e.dimension());
            row.add(SeriesSpec.format(e.rho()));
            row.add(e.seed());
            row.add(e.scheduling().id());
            row.add(run.mode());
            row.add(run.engine());
            row.add(diverged > 0 ? diverged : "");
            row.add(band == null || diverged > 0 ? "" : band.lowerDb()[0]);
            row.add(band == null || diverged > 0 ? "" : band.upperDb()[0]);
            final SeriesSpec s = r.spec();
            row.add(s.uplinkChannel().describe());
            row.add(s.downlinkChannel().describe());
            row.add(r.lostUplinks());
            row.add(r.lostDownlinks());
            row.add(s.linkBudget().describe());
            row.add(s.missing().id());
            // What the C polled clients' uploads (and the C polls) take each round, by the channel's encoding,
            // at the lengths the algorithm exchanges (2L for scaffold).
            final int up = s.uploadLength(e.dimension());
            final int down = s.broadcastLength(e.dimension());
            row.add((long) s.selected() * s.uplinkChannel().vectorBytes(up));
            row.add((long) s.selected() * s.downlinkChannel().vectorBytes(down));
            row.add(s.settings().describe());
            row.add(up);
            row.add(down);
            rows.add(row);
        }
        return rows;
    }

    /**
     * The 95% interval of a series' steady state: the Student t interval on the mean, over trials,
     * of each trial's own steady-state window mean (linear); null with one trial.
     */
    static ConfidenceBand steadyStateBand(SeriesResult r) {
        final TrialCurves curves = r.trialCurves();
        if (curves == null || curves.trials() < 2) {
            return null;
        }
        final int rounds = curves.rounds();
        final int window = Nmse.steadyStateWindow(rounds);
        final double[][] perTrial = new double[curves.trials()][1];
        double sum = 0.0;
        for (int t = 0; t < perTrial.length; t++) {
            double w = 0.0;
            for (int n = rounds - window + 1; n <= rounds; n++) {
                w += curves.nmse(t, n);
            }
            perTrial[t][0] = w / window;
            sum += perTrial[t][0];
        }
        return ConfidenceBand.of(perTrial, new double[] {sum / perTrial.length});
    }

    /** partition.csv: {@code row,client} for every data row of the --data file, in file order. */
    static void writePartition(Path file, io.fedlink.core.data.RegressionTable table) throws IOException {
        try (CSVPrinter out = printer(file, PARTITION_HEADER)) {
            final int[] clients = table.partitionOfRows();
            for (int row = 0; row < clients.length; row++) {
                out.printRecord(row, clients[row]);
            }
        }
    }

    /** trials.csv (--per-trial): every trial's curve, trials numbered 0..M-1 as their seeds are derived. */
    static void writeTrials(Path file, List<SeriesResult> results) throws IOException {
        try (CSVPrinter out = printer(file, TRIALS_HEADER)) {
            for (SeriesResult r : results) {
                final TrialCurves curves = r.trialCurves();
                for (int t = 0; t < curves.trials(); t++) {
                    for (int n = 1; n <= curves.rounds(); n++) {
                        out.printRecord(r.spec().label(), t, n, Nmse.toDb(curves.nmse(t, n)));
                    }
                }
            }
        }
    }

    /**
     * command.txt: the command as typed, and one with every parameter explicit. In lockstep mode that
     * line reproduces the curves bit for bit; in free-running mode timing decides which answers make
     * each aggregation, and the file says so instead.
     */
    static void writeCommand(Path dir, String typed, String reproducing, Run run) throws IOException {
        final String explicit = run.reproducible()
                ? "# every parameter explicit (reproduces this run bit for bit)\n"
                : "# every parameter explicit (free-running: wall-clock timing decides which answers make each "
                        + "aggregation, so running this again gives statistically equivalent curves, not the same bits)\n";
        writeCommand(dir, "engine " + run.description(), typed, explicit, reproducing);
    }

    /** command.txt with a given comment before the explicit line (fedlink theory's too). */
    static void writeCommand(Path dir, String what, String typed, String explicitComment, String reproducing)
            throws IOException {
        final String text = "# fedlink " + Fedlink.version() + ", " + what + ", Java "
                + System.getProperty("java.version") + "\n"
                + "# as typed\n" + typed + "\n"
                + explicitComment + reproducing + "\n";
        Files.writeString(dir.resolve(COMMAND), text, StandardCharsets.UTF_8);
    }

    static List<String> seriesColumns(SeriesSpec s) {
        return List.of(s.label(), s.algorithm().id(), String.valueOf(s.selected()),
                SeriesSpec.format(s.uplinkVariance()), SeriesSpec.format(s.downlinkVariance()));
    }
}
