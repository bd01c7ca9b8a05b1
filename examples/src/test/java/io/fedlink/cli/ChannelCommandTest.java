package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel flags from the command line: series per spec, their columns and counts, and refusals. */
class ChannelCommandTest {

    @TempDir
    Path tmp;

    private static final String[] SMALL = {"--clients", "8", "--dim", "6", "--samples", "2-5", "--rounds", "20",
        "--trials", "3", "--selected", "4", "--link-noise", "1e-3", "--quiet"};

    private static String[] args(Path out, String... more) {
        final List<String> all = new ArrayList<>(List.of("simulate", "--out", out.toString()));
        all.addAll(List.of(SMALL));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    static List<String[]> rows(Path csv) throws IOException {
        final List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    @Test
    void everySpecIsASeriesWithItsChannelsLossesAndBytesInTheOutputs() throws IOException {
        final Path out = tmp.resolve("channels");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(args(out, "--channel",
                "awgn,erasure:0.3+awgn,quantize:4+awgn", "--missing", "received,by-C", "--engine", "reference"));
        assertEquals(0, run.status(), run.err());
        final List<String[]> summary = rows(out.resolve("summary.csv"));
        assertEquals(6, summary.size(), "3 channels x 2 rules");
        for (String[] row : summary) {
            final String channel = row[19];
            assertEquals(channel, row[20], "--channel sets both directions");
            final boolean lossy = channel.startsWith("erasure");
            assertEquals(lossy, Long.parseLong(row[21]) > 0, "lost uploads of " + row[0]);
            assertEquals(lossy, Long.parseLong(row[22]) > 0, "lost polls of " + row[0]);
            // C = 4 vectors of L = 6: 8-byte doubles, or 4 bits each behind an 8-byte scale.
            assertEquals(channel.startsWith("quantize") ? 4 * (8 + 3) : 4 * 6 * 8, Long.parseLong(row[25]), row[0]);
        }
        assertTrue(summary.stream().anyMatch(r -> r[0].contains("ch=erasure:0.3+awgn") && r[0].contains("missing=by-C")));
        final List<String[]> curves = rows(out.resolve("curves.csv"));
        assertEquals(6 * 20, curves.size());
        assertEquals("quantize:4+awgn", curves.get(curves.size() - 1)[10], "curves.csv's downlink_channel");
        final String command = Files.readString(out.resolve("command.txt"));
        assertTrue(command.contains("--channel awgn,erasure:0.3+awgn,quantize:4+awgn --link-budget uniform "
                + "--missing received,by-C"), command);
    }

    @Test
    void aRedrawnFigureNamesEachSeriesChannelBudgetAndRuleAsTheRunsOwnFigureDoes() throws IOException {
        final Path out = tmp.resolve("redraw");
        assertEquals(0, SimulateCommandTest.run(args(out, "--channel", "awgn,erasure:0.3+awgn", "--missing",
                "received,by-C", "--link-budget", "pathloss:3", "--engine", "reference")).status());
        final List<String> legends = PlotCommand.read(Fedlink.commandLine(), out, null).curves().stream()
                .map(NmsePlot.Curve::name).toList();
        assertEquals(List.of(
                "rerce, C=4, σ²=0.001, budget=pathloss:3.0",
                "rerce, C=4, σ²=0.001, budget=pathloss:3.0, missing=by-C",
                "rerce, C=4, σ²=0.001, erasure:0.3+awgn, budget=pathloss:3.0",
                "rerce, C=4, σ²=0.001, erasure:0.3+awgn, budget=pathloss:3.0, missing=by-C"), legends);
    }

    @Test
    void anErasureOfProbabilityZeroGivesTheAwgnCurveBitForBitOnBothEngines() throws IOException {
        final List<List<String>> curves = new ArrayList<>();
        for (String engine : List.of("reference", "actors")) {
            final Path out = tmp.resolve("zero-" + engine);
            assertEquals(0, SimulateCommandTest.run(args(out, "--channel", "awgn,erasure:0+awgn", "--engine", engine))
                    .status());
            final List<String[]> rows = rows(out.resolve("curves.csv"));
            final List<String> values = new ArrayList<>();
            for (String[] r : rows) {
                values.add(r[6]);
            }
            assertEquals(values.subList(0, 20), values.subList(20, 40), engine + ": erasure:0+awgn is awgn");
            curves.add(values);
        }
        assertEquals(curves.get(0), curves.get(1), "the reference engine and the actors, bit for bit");
    }

    @Test
    void aPathLossBudgetAndAFileBudgetAreSeriesToo() throws IOException {
        final Path file = tmp.resolve("budget.csv");
        final StringBuilder b = new StringBuilder("client,uplink_noise,downlink_noise\n");
        for (int k = 0; k < 8; k++) {
            b.append(k).append(',').append(1e-3 * (k + 1)).append(',').append(2e-3).append('\n');
        }
        Files.writeString(file, b);
        final Path out = tmp.resolve("budgets");
        final List<String> more = new ArrayList<>(List.of(SMALL));
        more.removeAll(List.of("--link-noise", "1e-3"));
        final List<String> all = new ArrayList<>(List.of("simulate", "--out", out.toString(), "--link-budget",
                file.toString(), "--engine", "reference"));
        all.addAll(more);
        final SimulateCommandTest.Run run = SimulateCommandTest.run(all.toArray(String[]::new));
        assertEquals(0, run.status(), run.err());
        final String[] row = rows(out.resolve("summary.csv")).get(0);
        assertEquals(0.0045, Double.parseDouble(row[3]), 1e-15, "the file's mean uplink variance is shown");
        assertEquals(file.toString(), row[23]);
        final Path withFlags = tmp.resolve("refused");
        final SimulateCommandTest.Run refused = SimulateCommandTest.run(args(withFlags, "--link-budget", file.toString()));
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains("leave out --link-noise"), refused.err());
    }

    @Test
    void badSpecsAndBudgetsAreUsageErrorsThatGiveTheGrammar() throws IOException {
        final Path missing = tmp.resolve("missing.csv");
        Files.writeString(missing, "client,uplink_noise,downlink_noise\n0,1e-3,1e-3\n");
        final Path negative = tmp.resolve("negative.csv");
        Files.writeString(negative, "client,uplink_noise,downlink_noise\n0,-1,1e-3\n");
        final String[][] cases = {
            {"--channel", "gauss", ChannelSpec.GRAMMAR},
            {"--channel", "erasure:1+awgn", ChannelSpec.GRAMMAR},
            {"--uplink-channel", "quantize:17+awgn", ChannelSpec.GRAMMAR},
            {"--downlink-channel", "quantize:0", ChannelSpec.GRAMMAR},
            {"--channel", "rayleigh:-1+awgn", ChannelSpec.GRAMMAR},
            {"--channel", "awgn,awgn", "given twice"},
            {"--link-budget", "pathloss:loud", LinkBudget.GRAMMAR},
            {"--link-budget", missing.toString(), "no row for client 1"},
            {"--link-budget", negative.toString(), "uplink_noise"},
            {"--link-budget", tmp.resolve("nosuch.csv").toString(), "no such file (expected a CSV file of client,"},
            {"--missing", "by-K", "by-C or received"},
        };
        for (String[] c : cases) {
            final SimulateCommandTest.Run run = SimulateCommandTest.run("simulate", "--clients", "8", "--quiet",
                    "--out", tmp.resolve("never").toString(), c[0], c[1]);
            assertEquals(2, run.status(), c[0] + " " + c[1]);
            assertTrue(run.err().contains(c[0]) && run.err().contains(c[2]), run.err());
            assertFalse(run.err().contains("\tat "), run.err());
        }
        assertFalse(Files.exists(tmp.resolve("never").resolve("curves.csv")));
    }
}
