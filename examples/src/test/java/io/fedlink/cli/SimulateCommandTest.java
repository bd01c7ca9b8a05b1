package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `fedlink simulate` end to end: the output files, their columns, and reproduction from command.txt. */
class SimulateCommandTest {

    /** A small, fast federation: every local problem determined, 20 rounds, 3 trials. */
    private static final String[] SMALL = {
        "--clients", "10", "--dim", "8", "--samples", "20-40", "--rounds", "20", "--trials", "3", "--seed", "7", "--quiet",
    };

    @TempDir
    Path tmp;

    static Run run(String... args) {
        final CommandLine cmd = Fedlink.commandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        final int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    record Run(int status, String out, String err) {
    }

    private static String[] concat(String[] head, String... tail) {
        final List<String> all = new ArrayList<>(Arrays.asList(head));
        all.addAll(Arrays.asList(tail));
        return all.toArray(new String[0]);
    }

    @Test
    void writesCurvesSummaryPlotAndCommand() throws IOException {
        final Path dir = tmp.resolve("out");
        final Run run = run(concat(new String[] {"simulate"}, concat(SMALL,
                "--algorithm", "rerce,rerce-continual", "--selected", "2,5", "--link-noise", "0,1e-2", "--out", dir.toString())));
        assertEquals(0, run.status(), run.err());

        final List<String> curves = Files.readAllLines(dir.resolve("curves.csv"));
        assertEquals(ResultFiles.CURVES_HEADER, curves.get(0));
        assertEquals(1 + 2 * 2 * 2 * 20, curves.size(), "8 series x 20 rounds plus the header");
        final String[] first = curves.get(1).split(",");
        assertEquals("rerce", first[1]);
        assertEquals("2", first[2]);
        assertEquals("0.0", first[3]);
        assertEquals("1", first[5]);
        assertTrue(Double.isFinite(Double.parseDouble(first[6])));
        assertEquals("20", curves.get(20).split(",")[5], "rounds run 1..T");

        final List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(ResultFiles.SUMMARY_HEADER, summary.get(0));
        assertEquals(1 + 8, summary.size());
        for (String row : summary.subList(1, summary.size())) {
            final String[] cells = row.split(",", -1);
            assertEquals(30, cells.length, row);
            assertEquals("20", cells[6]);
            assertEquals("3", cells[7]);
            // Appended: the setting that makes a row self-describing, then divergence and the interval.
            assertEquals(List.of("10", "8", "1.0", "7", "uniform", "lockstep", "actors", ""),
                    Arrays.asList(cells).subList(9, 17), row);
            final double steady = Double.parseDouble(cells[5]);
            assertTrue(Double.parseDouble(cells[17]) < steady && steady < Double.parseDouble(cells[18]), row);
            // Appended after them: the channels, their losses, the budget, the rule for missing uploads and
            // the bytes a round's C uploads and C polls take (8 per element of L = 8).
            assertEquals(List.of("awgn", "awgn", "0", "0", "uniform", "received"), Arrays.asList(cells).subList(19, 25),
                    row);
            assertEquals(Long.parseLong(cells[2]) * 8 * 8, Long.parseLong(cells[25]), row);
            // Appended last: the algorithm's flags (rerce has none) and the lengths it exchanges.
            assertEquals(List.of("", "8", "8"), Arrays.asList(cells).subList(27, 30), row);
        }
        // The band brackets the mean curve on every row.
        for (String row : curves.subList(1, curves.size())) {
            final String[] cells = row.split(",", -1);
            final double db = Double.parseDouble(cells[6]);
            assertTrue(Double.parseDouble(cells[7]) <= db && db <= Double.parseDouble(cells[8]), row);
        }

        final byte[] png = Files.readAllBytes(dir.resolve("nmse.png"));
        assertTrue(png.length > 1000);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(Files.readString(dir.resolve("nmse.svg")).contains("<svg"), "the vector figures beside it");
        assertTrue(Files.readString(dir.resolve("nmse.pdf"), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith("%PDF-"));

        final String command = Files.readString(dir.resolve("command.txt"));
        assertTrue(command.contains("--seed 7"), command);
        assertTrue(command.contains("fedlink simulate --clients 10"), command);
        assertTrue(run.out().contains("steady state dB"), run.out());
    }

    @Test
    void explicitCommandInCommandTxtReproducesTheCurvesBitForBit() throws IOException {
        final Path first = tmp.resolve("first");
        assertEquals(0, run(concat(new String[] {"simulate"}, concat(SMALL,
                "--algorithm", "admm,rerce", "--selected", "3", "--uplink-noise", "1e-3", "--downlink-noise", "0,1e-2",
                "--out", first.toString()))).status());
        final List<String> lines = Files.readAllLines(first.resolve("command.txt"), StandardCharsets.UTF_8);
        final String explicit = lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("# every")).findFirst()
                .orElseThrow()) + 1);
        final Path second = tmp.resolve("second");
        final List<String> args = new ArrayList<>(Arrays.asList(explicit.split(" ")));
        args.remove(0); // "fedlink"
        args.addAll(List.of("--out", second.toString(), "--quiet", "--threads", "1"));
        assertEquals(0, run(args.toArray(new String[0])).status());
        // Same seed, settings and, here, a different thread count: identical bytes (Double.toString round-trips).
        assertEquals(Files.readString(first.resolve("curves.csv")), Files.readString(second.resolve("curves.csv")));
    }

    @Test
    void differentSeedGivesDifferentCurves() throws IOException {
        final Path a = tmp.resolve("a");
        final Path b = tmp.resolve("b");
        final String[] common = {"simulate", "--clients", "10", "--dim", "8", "--samples", "3-6", "--rounds", "10",
            "--trials", "2", "--selected", "3", "--quiet"};
        assertEquals(0, run(concat(common, "--seed", "1", "--out", a.toString())).status());
        assertEquals(0, run(concat(common, "--seed", "2", "--out", b.toString())).status());
        assertFalse(Files.readString(a.resolve("curves.csv")).equals(Files.readString(b.resolve("curves.csv"))));
    }

    @Test
    void freeRunningModeAlsoWritesCurvesAgainstTime() throws IOException {
        final Path dir = tmp.resolve("free");
        final Run run = run("simulate", "--clients", "10", "--dim", "6", "--samples", "3-6", "--rounds", "30",
                "--trials", "2", "--algorithm", "rerce-continual", "--selected", "3", "--mode", "free-running",
                "--server-period", "2", "--client-period", "1", "--speed-spread", "2", "--quiet", "--out", dir.toString());
        assertEquals(0, run.status(), run.err());
        final List<String> timed = Files.readAllLines(dir.resolve("curves-time.csv"));
        assertEquals(ResultFiles.TIME_CURVES_HEADER, timed.get(0));
        assertEquals(31, timed.size());
        double previous = -1;
        for (String row : timed.subList(1, timed.size())) {
            final double seconds = Double.parseDouble(row.split(",")[6]);
            assertTrue(seconds > previous, "time runs forward: " + row);
            previous = seconds;
        }
        assertTrue(Files.size(dir.resolve("nmse-time.png")) > 1000);
        final String command = Files.readString(dir.resolve("command.txt"));
        assertTrue(command.contains("--mode free-running --server-period 2.0"));
        assertFalse(command.contains("bit for bit"), "free-running timing is not reproducible: " + command);
        assertTrue(command.contains("not the same bits"), command);
        assertTrue(Files.readAllLines(dir.resolve("summary.csv")).get(1).contains(",free-running,actors,"));
    }

    @Test
    void perTrialWritesEveryTrialAndTheirLinearMeanIsTheCurve() throws IOException {
        final Path dir = tmp.resolve("trials");
        final Run run = run("simulate", "--clients", "8", "--dim", "6", "--samples", "2-5", "--rounds", "15",
                "--trials", "4", "--selected", "3", "--engine", "reference", "--per-trial", "--quiet",
                "--out", dir.toString());
        assertEquals(0, run.status(), run.err());
        final List<String> trials = Files.readAllLines(dir.resolve("trials.csv"));
        assertEquals(ResultFiles.TRIALS_HEADER, trials.get(0));
        assertEquals(1 + 4 * 15, trials.size());
        // Independent of the engine's averaging: the mean of the per-trial rows, taken in linear scale.
        final double[] sum = new double[15];
        for (String row : trials.subList(1, trials.size())) {
            final String[] c = row.split(",");
            sum[Integer.parseInt(c[2]) - 1] += Math.pow(10, Double.parseDouble(c[3]) / 10);
        }
        final List<String> curves = Files.readAllLines(dir.resolve("curves.csv"));
        for (int n = 0; n < 15; n++) {
            final double db = Double.parseDouble(curves.get(n + 1).split(",")[6]);
            assertEquals(db, 10 * Math.log10(sum[n] / 4), 1e-9, "round " + (n + 1));
        }
    }

    @Test
    void oneTrialLeavesTheBandEmpty() throws IOException {
        final Path dir = tmp.resolve("one");
        assertEquals(0, run("simulate", "--clients", "6", "--dim", "6", "--samples", "2-5", "--rounds", "5",
                "--trials", "1", "--selected", "3", "--engine", "reference", "--quiet", "--out", dir.toString()).status());
        for (String row : Files.readAllLines(dir.resolve("curves.csv")).subList(1, 6)) {
            assertTrue(row.endsWith(",,,awgn,awgn,"), "no band from one trial: " + row);
        }
        final String[] summary = Files.readAllLines(dir.resolve("summary.csv")).get(1).split(",", -1);
        assertEquals(List.of("", "", ""), Arrays.asList(summary).subList(16, 19), "no interval from one trial");
    }

    @Test
    void aDivergingSeriesIsReportedWithItsRoundNotAsASteadyState() throws IOException {
        // C = 1 at K = L = 6 with underdetermined clients diverges (README, "Divergence").
        final Path dir = tmp.resolve("diverge");
        final Run run = run("simulate", "--clients", "6", "--dim", "6", "--samples", "2-5", "--rounds", "200",
                "--trials", "20", "--selected", "1,3", "--engine", "reference", "--quiet", "--out", dir.toString());
        assertEquals(0, run.status(), run.err());
        final List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        final String[] c1 = summary.get(1).split(",", -1);
        final String[] c3 = summary.get(2).split(",", -1);
        assertEquals("Infinity", c1[5], summary.get(1));
        final int round = Integer.parseInt(c1[16]);
        assertTrue(round > 1 && round < 200, summary.get(1));
        assertEquals("", c3[16], "C = 3 settles");
        assertTrue(Double.isFinite(Double.parseDouble(c3[5])));
        // The round is where the mean curve first exceeds 1e6 x max(round-1 NMSE, 1), recomputed from curves.csv.
        final List<String> curves = Files.readAllLines(dir.resolve("curves.csv")).subList(1, 201);
        final double first = Math.pow(10, Double.parseDouble(curves.get(0).split(",")[6]) / 10);
        int expected = 0;
        for (int n = 0; n < 200 && expected == 0; n++) {
            // curves.csv holds dB; allow for the rounding of the dB digits at the crossing
            if (Math.pow(10, Double.parseDouble(curves.get(n).split(",")[6]) / 10) > 1e6 * Math.max(1, first) * (1 + 1e-12)) {
                expected = n + 1;
            }
        }
        assertEquals(expected, round);
        assertTrue(run.out().contains("diverged, round " + round), run.out());
        assertFalse(run.out().contains("+2"), "no steady state of hundreds of dB: " + run.out());
    }

    @Test
    void aTrivialSampleRangeIsWarnedAbout() {
        final Run trivial = run("simulate", "--clients", "6", "--dim", "4", "--samples", "10-12", "--rounds", "5",
                "--trials", "2", "--selected", "3", "--engine", "reference", "--quiet", "--out", tmp.resolve("t").toString());
        assertEquals(0, trivial.status(), trivial.err());
        assertTrue(trivial.err().contains("warning: every client holds at least L = 4 samples"), trivial.err());
        assertTrue(trivial.err().contains("already solved"), trivial.err());
        final Run federated = run("simulate", "--clients", "6", "--dim", "4", "--samples", "2-3", "--rounds", "5",
                "--trials", "2", "--selected", "3", "--engine", "reference", "--quiet", "--out", tmp.resolve("f").toString());
        assertFalse(federated.err().contains("warning"), federated.err());
        // A large rho makes the same data a real federation: P_k is no longer tiny.
        final Run largeRho = run("simulate", "--clients", "6", "--dim", "4", "--samples", "10-12", "--rho", "1e6",
                "--rounds", "5", "--trials", "2", "--selected", "3", "--engine", "reference", "--quiet",
                "--out", tmp.resolve("r").toString());
        assertFalse(largeRho.err().contains("warning"), largeRho.err());
    }

    @Test
    void aFolderHoldingResultsIsNotOverwrittenWithoutForce() throws IOException {
        final Path dir = tmp.resolve("kept");
        final String[] args = {"simulate", "--clients", "6", "--dim", "6", "--samples", "2-5", "--rounds", "5",
            "--trials", "2", "--selected", "3", "--engine", "reference", "--quiet", "--out", dir.toString()};
        assertEquals(0, run(args).status());
        final String before = Files.readString(dir.resolve("curves.csv"));
        final Run again = run(concat(args, "--seed", "2"));
        assertEquals(2, again.status(), again.err());
        assertTrue(again.err().contains("--out " + dir + ": holds the results of an earlier run"), again.err());
        assertTrue(again.err().contains("--force"), again.err());
        assertFalse(again.err().contains("\tat "), again.err());
        assertEquals(before, Files.readString(dir.resolve("curves.csv")), "untouched");
        final Run forced = run(concat(args, "--seed", "2", "--force"));
        assertEquals(0, forced.status(), forced.err());
        assertFalse(before.equals(Files.readString(dir.resolve("curves.csv"))), "replaced");
    }

    @Test
    void aCheckpointedRunResumesIntoItsOwnFolder() throws IOException {
        final Path dir = tmp.resolve("resume");
        final String[] args = {"simulate", "--clients", "6", "--dim", "6", "--samples", "2-5", "--rounds", "6",
            "--trials", "2", "--selected", "3", "--quiet", "--checkpoint-every", "3", "--out", dir.toString()};
        assertEquals(0, run(args).status());
        final String first = Files.readString(dir.resolve("curves.csv"));
        final Run resumed = run(args);
        assertEquals(0, resumed.status(), "resuming its own checkpoint is not an overwrite: " + resumed.err());
        assertTrue(resumed.out().contains("resuming from the checkpoint"), resumed.out());
        assertEquals(first, Files.readString(dir.resolve("curves.csv")));
    }

    @Test
    void aBadCheckpointPeriodIsRefusedBeforeAnyWork() {
        final Path dir = tmp.resolve("never");
        final Run run = run("simulate", "--checkpoint-every", "0", "--trials", "1", "--rounds", "2", "--out", dir.toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().startsWith("fedlink simulate: --checkpoint-every 0: at least every 1 round"), run.err());
        assertEquals("", run.out(), "no run header: nothing started");
        assertFalse(Files.exists(dir), "no folder made");
    }

    @Test
    void defaultFolderIsThePresetOnlyWhenItsSettingsAreUnchanged() {
        assertEquals(Path.of("results", "paper-fig4"), defaultFolder("simulate"));
        assertEquals(Path.of("results", "paper-fig4"), defaultFolder("simulate", "--engine", "reference", "--threads", "1"),
                "engine and threads do not change the numbers");
        assertEquals(Path.of("results", "paper-fig4_rounds=5_trials=2"),
                defaultFolder("simulate", "--trials", "2", "--rounds", "5"));
        assertEquals(defaultFolder("simulate", "--trials", "2", "--rounds", "5"),
                defaultFolder("simulate", "--rounds", "5", "--trials", "2"), "the same settings, the same folder");
        assertEquals(Path.of("results", "paper-fig4_clients=800_samples=50-90"),
                defaultFolder("simulate", "--clients", "800"));
        assertEquals(Path.of("results", "custom_clients=6_dim=6_selected=1,3_samples=2-5"),
                defaultFolder("simulate", "--clients", "6", "--dim", "6", "--samples", "2-5", "--selected", "1,3"));
        assertEquals(Path.of("results", "paper-fig4_mode=free-running"),
                defaultFolder("simulate", "--mode", "free-running"));
        // A plug-in's options at their defaults are not settings the user changed.
        assertEquals(Path.of("results", "custom_algorithm=fedavg_clients=10_dim=4_samples=50-90"),
                defaultFolder("simulate", "--algorithm", "fedavg", "--clients", "10", "--dim", "4"));
        assertEquals(Path.of("results", "custom_algorithm=fedavg_local-steps=3_clients=10_dim=4_samples=50-90"),
                defaultFolder("simulate", "--algorithm", "fedavg", "--local-steps", "3", "--clients", "10", "--dim", "4"));
        final Path longName = defaultFolder("simulate", "--algorithm", "admm,dual-free,rerce,rerce-continual",
                "--clients", "12", "--selected", "12", "--link-noise", "0,6.25e-4,1e-3,1e-2,2e-2", "--rho", "3",
                "--seed", "99");
        assertTrue(longName.getFileName().toString().matches("custom_[0-9a-f]{8}"), longName.toString());
    }

    private static Path defaultFolder(String... args) {
        final CommandLine cmd = Fedlink.commandLine();
        final CommandLine.ParseResult parsed = cmd.parseArgs(args);
        final CommandLine sub = parsed.subcommand().commandSpec().commandLine();
        final SimulateCommand command = sub.getCommand();
        final ExperimentOptions.Resolved resolved = command.options.resolve(sub);
        return command.defaultOutput(sub, resolved, command.engineOptions.engine(sub), "");
    }
}
