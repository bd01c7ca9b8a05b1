package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `fedlink theory`: its files, its presets, its design answers checked by simulation. */
class TheoryCommandTest {

    @TempDir
    Path tmp;

    /** K = L = 6, d_k ~ U{2..5}: the small-scale setting of SPEC 7.3. */
    private static final String[] SMALL = {"--clients", "6", "--dim", "6", "--samples", "2-5", "--rounds", "400"};

    private static String[] with(String[] base, String... more) {
        final String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static double simulate(int selected, double variance, int trials) {
        final Experiment experiment = new Experiment(6, 6, 1.0, SampleCounts.uniform(2, 5), 400, trials, 1L,
                SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, selected, variance, variance)));
        return new ReferenceEngine(2).run(experiment, experiment.generateProblem(), ProgressListener.NONE).get(0)
                .steadyStateDb();
    }

    @Test
    void presetSweepWritesOneRowPerPointAndTheCurves() throws Exception {
        final Path dir = tmp.resolve("fig8");
        final SimulateCommandTest.Run run = SimulateCommandTest.run("theory", "--preset", "paper-fig8", "--out",
                dir.toString());
        assertEquals(0, run.status(), run.err());
        final List<String> table = Files.readAllLines(dir.resolve("theory.csv"));
        assertEquals(TheoryCommand.TABLE_HEADER + ",diverged_round,paper_diverged_round", table.get(0));
        assertEquals(1 + 2 * 11, table.size(), "11 uplink variances at each of 2 downlink variances");
        assertTrue(table.get(1).startsWith("3,0.0,0.0,"), table.get(1));
        assertTrue(table.get(11).startsWith("3,0.01,0.0,"), table.get(11));
        final List<String> curves = Files.readAllLines(dir.resolve("theory-curves.csv"));
        assertEquals(TheoryCommand.CURVES_HEADER, curves.get(0));
        assertEquals(1 + 22 * 400, curves.size());
        // The prediction rises with the uplink variance along the sweep.
        double previous = Double.NEGATIVE_INFINITY;
        for (String row : table.subList(1, 12)) {
            final double db = Double.parseDouble(row.split(",")[3]);
            assertTrue(db > previous, row);
            previous = db;
        }
        assertTrue(run.out().contains("steady_state_db"), run.out());
        assertFalse(Files.exists(dir.resolve("theory.png")), "the plot needs --simulate");
    }

    @Test
    void simulateAddsTheMonteCarloColumnAndThePlot() throws Exception {
        final Path dir = tmp.resolve("sim");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(with(with(new String[] {"theory"}, SMALL), "--selected", "3",
                "--link-noise", "1e-2", "--simulate", "--trials", "400", "--out", dir.toString()));
        assertEquals(0, run.status(), run.err());
        final List<String> table = Files.readAllLines(dir.resolve("theory.csv"));
        assertEquals(TheoryCommand.TABLE_HEADER + ",simulated_db,diverged_round,paper_diverged_round,"
                + "simulated_diverged_round", table.get(0));
        final String[] cells = table.get(1).split(",");
        // Tolerance: 400 trials put the simulated steady state within about 0.15 dB of its mean.
        assertEquals(Double.parseDouble(cells[3]), Double.parseDouble(cells[5]), 0.3);
        assertTrue(Files.size(dir.resolve("theory.png")) > 1000);
    }

    @Test
    void smallestSelectionForATargetIsConfirmedBySimulation() throws Exception {
        final Path dir = tmp.resolve("design");
        // Between the predictions for C = 3 (-16.6 dB) and C = 4 (-18.1 dB) at 1e-2 with seed 1.
        final SimulateCommandTest.Run run = SimulateCommandTest.run(with(with(new String[] {"theory"}, SMALL), "--link-noise", "1e-2",
                "--target", "-17.3", "--out", dir.toString()));
        assertEquals(0, run.status(), run.err());
        final String[] answer = Files.readAllLines(dir.resolve("design.csv")).get(1).split(",");
        final int c = Integer.parseInt(answer[3]);
        assertEquals(4, c, String.join(",", answer));
        // 2000 trials: the simulated steady state is within about 0.1 dB of its mean.
        assertTrue(simulate(c, 1e-2, 2000) <= -17.3, "C = " + c + " must reach the target in simulation");
        assertTrue(simulate(c - 1, 1e-2, 2000) > -17.3, "C - 1 must miss it in simulation");
    }

    @Test
    void largestLinkVarianceForATargetIsConfirmedBySimulation() throws Exception {
        final Path dir = tmp.resolve("budget");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(with(with(new String[] {"theory"}, SMALL), "--selected", "3",
                "--target", "-20", "--solve-for", "link-noise", "--out", dir.toString()));
        assertEquals(0, run.status(), run.err());
        final String[] answer = Files.readAllLines(dir.resolve("design.csv")).get(1).split(",");
        final double variance = Double.parseDouble(answer[2]);
        assertEquals(-20.0, Double.parseDouble(answer[3]), 1e-6, "the prediction sits on the target");
        // At the answer the simulation lands on the target (0.15 dB: 2000 trials plus the theory's 0.06 dB);
        // one step beyond, at twice the variance, it misses by about 3 dB.
        assertEquals(-20.0, simulate(3, variance, 2000), 0.15);
        assertTrue(simulate(3, 2 * variance, 2000) > -20.0 + 2.0);
    }

    @Test
    void theDesignNamesADivergingNeighbourAsDiverging() throws Exception {
        // At K = L = 6 the prediction for C = 1 diverges (the test below); a target that C = 2 meets
        // then has C = 1 as its "one fewer", which must read as diverging, not as a number of dB.
        final Path dir = tmp.resolve("design-diverging");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(with(with(new String[] {"theory"}, SMALL),
                "--target", "0", "--out", dir.toString()));
        assertEquals(0, run.status(), run.err());
        final List<String> design = Files.readAllLines(dir.resolve("design.csv"));
        final String[] answer = design.get(1).split(",", -1);
        assertEquals("2", answer[3], design.get(1));
        assertEquals("Infinity", answer[5], "one_fewer_db of a diverging C = 1: " + design.get(1));
        assertEquals("6.25e-4", answer[1], "the noise as theory.csv writes it");
        assertTrue(run.out().contains("C = 1 diverges"), run.out());
    }

    @Test
    void aDivergingPredictionIsReportedWithItsRoundNotAsASteadyState() throws Exception {
        final Path dir = tmp.resolve("diverge");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(with(with(new String[] {"theory"}, SMALL),
                "--selected", "1,3", "--out", dir.toString()));
        assertEquals(0, run.status(), run.err());
        final List<String> table = Files.readAllLines(dir.resolve("theory.csv"));
        assertEquals(TheoryCommand.TABLE_HEADER + ",diverged_round,paper_diverged_round", table.get(0));
        final String[] c1 = table.get(1).split(",", -1);
        final String[] c3 = table.get(2).split(",", -1);
        assertEquals("Infinity", c1[3], table.get(1));
        assertEquals("Infinity", c1[4]);
        assertTrue(Integer.parseInt(c1[6]) > 0, "the paper's recursion leaves the range too: " + table.get(1));
        assertEquals("", c3[5], "C = 3 settles: " + table.get(2));
        assertTrue(Double.isFinite(Double.parseDouble(c3[3])));
        // The round, recomputed from the predicted curve in theory-curves.csv.
        final List<String> curve = Files.readAllLines(dir.resolve("theory-curves.csv")).subList(1, 401);
        final double first = Math.pow(10, Double.parseDouble(curve.get(0).split(",")[4]) / 10);
        int expected = 0;
        for (int n = 0; n < 400 && expected == 0; n++) {
            if (Math.pow(10, Double.parseDouble(curve.get(n).split(",")[4]) / 10) > 1e6 * Math.max(1, first) * (1 + 1e-12)) {
                expected = n + 1;
            }
        }
        assertTrue(expected > 0);
        assertEquals(expected, Integer.parseInt(c1[5]));
        assertTrue(run.out().contains("diverges (round " + expected + ")"), run.out());
        assertFalse(run.out().contains("298."), "no steady state of hundreds of dB: " + run.out());
    }

    @Test
    void sweepValuesPrintAsTypedDecimals() throws Exception {
        final Path dir = tmp.resolve("sweep");
        final SimulateCommandTest.Run run = SimulateCommandTest.run("theory", "--sweep", "uplink", "0:0.01:5",
                "--rounds", "50", "--out", dir.toString());
        assertEquals(0, run.status(), run.err());
        final List<String> ups = Files.readAllLines(dir.resolve("theory.csv")).subList(1, 6).stream()
                .map(row -> row.split(",")[1]).toList();
        assertEquals(List.of("0.0", "0.0025", "0.005", "0.0075", "0.01"), ups);
        assertFalse(run.out().contains("00000000"), run.out());
    }

    @Test
    void commandTxtReproducesTheFilesAndAFolderWithResultsIsKept() throws Exception {
        final Path first = tmp.resolve("first");
        assertEquals(0, SimulateCommandTest.run("theory", "--preset", "paper-fig10", "--rounds", "40", "--out",
                first.toString()).status());
        final List<String> lines = Files.readAllLines(first.resolve("command.txt"));
        assertTrue(lines.get(2).startsWith("fedlink theory --preset paper-fig10"), lines.toString());
        final String explicit = lines.get(4);
        assertTrue(explicit.startsWith("fedlink theory --clients 6 --dim 6"), explicit);
        final Path second = tmp.resolve("second");
        final List<String> args = new java.util.ArrayList<>(List.of(explicit.split(" ")).subList(1,
                explicit.split(" ").length));
        args.addAll(List.of("--out", second.toString()));
        assertEquals(0, SimulateCommandTest.run(args.toArray(new String[0])).status());
        for (String file : List.of("theory.csv", "theory-curves.csv")) {
            assertEquals(Files.readString(first.resolve(file)), Files.readString(second.resolve(file)), file);
        }
        final SimulateCommandTest.Run again = SimulateCommandTest.run("theory", "--preset", "paper-fig10",
                "--rounds", "40", "--out", first.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("holds the results of an earlier run (theory.csv)"), again.err());
    }

    @Test
    void aTrivialSampleRangeIsWarnedAbout() {
        final SimulateCommandTest.Run run = SimulateCommandTest.run("theory", "--samples", "8-9", "--rounds", "20",
                "--out", tmp.resolve("trivial").toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("warning: every client holds at least L = 6 samples"), run.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--preset paper-fig7                 | --preset paper-fig7",
        "--sweep noise 0:1:3                 | --sweep noise",
        "--sweep uplink 0:1                  | FROM:TO:STEPS",
        "--sweep uplink 0:1:0                | STEPS must lie",
        "--selected 7 --clients 6 --dim 6 --samples 2-5 | --selected 7",
        "--link-noise -1                     | must be a finite number >= 0",
        "--solve-for selected                | --solve-for needs --target",
        "--target -20 --solve-for budget     | --solve-for budget",
        "--rounds 0                          | --rounds 0",
    })
    void badFlagIsAUsageError(String args, String names) {
        final SimulateCommandTest.Run run = SimulateCommandTest.run(("theory --out " + tmp.resolve("never") + " "
                + args).split("\\s+"));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains(names), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }
}
