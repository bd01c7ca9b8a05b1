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
            assertEquals(19, cells.length, row);
            assertEquals("20", cells[6]);
            assertEquals("3", cells[7]);
            // Appended: the setting that makes a row self-describing, then divergence and the interval.
            assertEquals(List.of("10", "8", "1.0", "7", "uniform", "lockstep", "actors", ""),
                    Arrays.asList(cells).subList(9, 17), row);
            final double steady = Double.parseDouble(cells[5]);
            assertTrue(Double.parseDouble(cells[17]) < steady && steady < Double.parseDouble(cells[18]), row);
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
        assertTrue(Files.readString(dir.resolve("command.txt")).contains("--mode free-running --server-period 2.0"));
    }
}
