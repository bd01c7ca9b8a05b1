package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `fedlink plot`: results folders read back from their CSV files, filtered, overlaid, drawn; nothing replaced silently. */
class PlotCommandTest {

    @TempDir
    Path tmp;

    /** A results folder written by hand (independent of the writer): two series of three rounds. */
    private Path folder(String name, boolean band) throws Exception {
        final Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        final String header = band ? ResultFiles.CURVES_HEADER : "series,algorithm,selected,uplink_noise,downlink_noise,round,nmse_db";
        final StringBuilder b = new StringBuilder(header).append('\n');
        for (String[] s : new String[][] {{"rerce C=4 up=6.25e-4 down=6.25e-4", "rerce"},
            {"rerce-continual C=4 up=6.25e-4 down=6.25e-4", "rerce-continual"}}) {
            for (int n = 1; n <= 3; n++) {
                b.append(s[0]).append(',').append(s[1]).append(",4,6.25e-4,6.25e-4,").append(n).append(',').append(-10.0 * n);
                if (band) {
                    b.append(',').append(n == 1 ? "-Infinity" : String.valueOf(-10.0 * n - 1)).append(',').append(-10.0 * n + 1);
                }
                b.append('\n');
            }
        }
        Files.writeString(dir.resolve("curves.csv"), b.toString());
        Files.writeString(dir.resolve("summary.csv"), ResultFiles.SUMMARY_HEADER + "\n"
                + "rerce C=4 up=6.25e-4 down=6.25e-4,rerce,4,6.25e-4,6.25e-4,-30.0,3,10,0.1,100,128,1.0,1,uniform,lockstep,actors,,,\n");
        return dir;
    }

    @Test
    void readsCurvesAndTheirBandByColumnName() throws Exception {
        final Path dir = folder("a", true);
        final CommandLine cmd = Fedlink.commandLine();
        final PlotCommand.Results r = PlotCommand.read(cmd, dir, null);
        assertEquals(2, r.curves().size());
        final NmsePlot.Curve first = r.curves().get(0);
        assertEquals("rerce, C=4, σ²=6.25e-4", first.name());
        assertFalse(first.continual());
        assertTrue(r.curves().get(1).continual(), "rerce-continual is drawn dashed");
        assertArrayEquals(new double[] {1, 2, 3}, first.x());
        assertArrayEquals(new double[] {-10, -20, -30}, first.db());
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, -21, -31}, first.lo());
        assertEquals(100, r.clients());
        assertEquals(128, r.dimension());
        assertEquals(10, r.trials());
        final PlotCommand.Results only = PlotCommand.read(cmd, dir, Pattern.compile("continual"));
        assertEquals(1, only.curves().size());
        final PlotCommand.Results old = PlotCommand.read(cmd, folder("old", false), null);
        assertNull(old.curves().get(0).lo(), "results from before the band columns have none");
        assertFalse(old.hasBand());
    }

    @Test
    void overlaysFoldersIntoOneFigureAndNeverReplacesAFileWithoutForce() throws Exception {
        final Path a = folder("a", true);
        final Path b = folder("b", false);
        final Path out = tmp.resolve("figures");
        final SimulateCommandTest.Run run = SimulateCommandTest.run("plot", a.toString(), b.toString(), "--band",
                "--format", "png,svg", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(Files.size(out.resolve("a+b.png")) > 1000);
        final String svg = Files.readString(out.resolve("a+b.svg"));
        assertTrue(svg.contains("stroke:rgb(0,0,0)") && svg.contains("stroke:rgb(44,160,44)"),
                "four curves: the first and the fourth colour of the palette among them");
        assertFalse(svg.contains("stroke:rgb(148,103,189)"), "and no fifth");
        assertTrue(run.out().contains("note: b has no confidence band"), run.out());

        final SimulateCommandTest.Run again = SimulateCommandTest.run("plot", a.toString(), b.toString(), "--out",
                out.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("a+b.png already exists; use --force"), again.err());
        assertEquals(0, SimulateCommandTest.run("plot", a.toString(), b.toString(), "--out", out.toString(), "--force")
                .status());
    }

    @Test
    void drawsTheResultsOfARealRunAndAStoppedOne() throws Exception {
        final Path dir = tmp.resolve("run");
        assertEquals(0, SimulateCommandTest.run("simulate", "--clients", "6", "--dim", "6", "--samples", "2-5",
                "--rounds", "10", "--trials", "3", "--selected", "2,3", "--engine", "reference", "--quiet",
                "--out", dir.toString()).status());
        final PlotCommand.Results r = PlotCommand.read(Fedlink.commandLine(), dir, null);
        assertEquals(2, r.curves().size());
        assertTrue(r.hasBand());
        assertEquals(6, r.clients());
        // A stopped run's folder: plotted from curves-incomplete.csv, and said so.
        Files.move(dir.resolve("curves.csv"), dir.resolve("curves-incomplete.csv"));
        final SimulateCommandTest.Run run = SimulateCommandTest.run("plot", dir.toString(), "--out",
                tmp.resolve("f").toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("partial results"), run.out());
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        final Path a = folder("a", true);
        final String out = tmp.resolve("o").toString();
        for (List<String> bad : List.of(
                List.of(tmp.resolve("missing").toString()), List.of(tmp.toString()),
                List.of(a.toString(), "--format", "png,gif"), List.of(a.toString(), "--format", "svg,png,svg"),
                List.of(a.toString(), "--series", "("), List.of(a.toString(), "--series", "admm"),
                List.of(a.toString(), a.toString()))) {
            final List<String> args = new java.util.ArrayList<>(List.of("plot", "--out", out));
            args.addAll(bad);
            final SimulateCommandTest.Run run = SimulateCommandTest.run(args.toArray(new String[0]));
            assertEquals(2, run.status(), bad + ": " + run.err());
            assertTrue(run.err().startsWith("fedlink plot: "), run.err());
            assertFalse(run.err().contains("\tat "), run.err());
        }
    }
}
