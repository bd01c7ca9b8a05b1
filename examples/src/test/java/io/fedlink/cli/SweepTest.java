package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fedlink simulate --sweep`: one folder per point, sweep.csv of their summaries, sweep.png; values as typed. */
class SweepTest {

    @TempDir
    Path tmp;

    private static final String[] SMALL = {"simulate", "--clients", "6", "--dim", "6", "--samples", "2-5",
        "--rounds", "10", "--trials", "2", "--selected", "3", "--algorithm", "rerce,rerce-continual",
        "--engine", "reference", "--quiet"};

    private static String[] with(String... more) {
        final List<String> all = new ArrayList<>(List.of(SMALL));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @Test
    void aGridRunsEveryPointIntoItsOwnFolderAndCollectsTheirSummaries() throws Exception {
        final Path dir = tmp.resolve("grid");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(with("--sweep", "rho=0.5,2", "--sweep",
                "link-noise=0.0025,1e-3", "--out", dir.toString()));
        assertEquals(2, run.status(), "link-noise is a series flag: " + run.err());

        final SimulateCommandTest.Run grid = SimulateCommandTest.run(with("--sweep", "rho=0.5,2", "--sweep",
                "seed=1,7", "--out", dir.toString()));
        assertEquals(0, grid.status(), grid.err());
        final List<String> rows = Files.readAllLines(dir.resolve("sweep.csv"));
        assertEquals("rho,seed," + ResultFiles.SUMMARY_HEADER, rows.get(0));
        assertEquals(1 + 4 * 2, rows.size(), "4 points x 2 series");
        // Each row: the swept values as typed (0.5, not 0.50; 2, not 2.0), then that point's own summary row.
        final List<String> folders = List.of("rho=0.5,seed=1", "rho=0.5,seed=7", "rho=2,seed=1", "rho=2,seed=7");
        for (int p = 0; p < 4; p++) {
            final Path point = dir.resolve(folders.get(p));
            final List<String> summary = Files.readAllLines(point.resolve("summary.csv"));
            final String prefix = folders.get(p).replace("rho=", "").replace("seed=", "") + ",";
            for (int s = 0; s < 2; s++) {
                final String row = rows.get(1 + 2 * p + s);
                assertTrue(row.startsWith(prefix), row);
                // seconds differ only in timing; everything else is the point's summary
                final String[] cells = row.substring(prefix.length()).split(",", -1);
                final String[] own = summary.get(1 + s).split(",", -1);
                cells[8] = own[8];
                assertEquals(String.join(",", own), String.join(",", cells));
            }
            assertTrue(Files.exists(point.resolve("nmse.png")));
            assertTrue(Files.readString(point.resolve("command.txt")).contains("--sweep rho=0.5,2"),
                    "the point's command.txt holds the sweep as typed");
        }
        assertTrue(Files.size(dir.resolve("sweep.png")) > 1000);
        assertEquals("0.5", rows.get(1).split(",")[13], "summary's rho column: " + rows.get(1));
    }

    @Test
    void valuesPrintAsTypedAndTheSweepFolderIsProtectedToo() throws Exception {
        final Path dir = tmp.resolve("rho");
        assertEquals(0, SimulateCommandTest.run(with("--sweep", "rho=0.0025,1e3", "--out", dir.toString())).status());
        assertTrue(Files.isDirectory(dir.resolve("rho=0.0025")));
        assertTrue(Files.isDirectory(dir.resolve("rho=1e3")));
        final List<String> rows = Files.readAllLines(dir.resolve("sweep.csv"));
        assertTrue(rows.get(1).startsWith("0.0025,"), rows.get(1));
        assertTrue(rows.get(3).startsWith("1e3,"), rows.get(3));
        final SimulateCommandTest.Run again = SimulateCommandTest.run(with("--sweep", "rho=0.0025,1e3", "--out",
                dir.toString()));
        assertEquals(2, again.status());
        assertTrue(again.err().contains("sweep.csv"), again.err());
        assertFalse(again.err().contains("\tat "), again.err());
    }

    @Test
    void aRefusedSweepLeavesNoFolderBehind() {
        // The first point is valid, the second is not: the refusal comes before anything is made.
        final Path dir = tmp.resolve("refused");
        final SimulateCommandTest.Run run = SimulateCommandTest.run(with("--sweep", "rho=1,x", "--out", dir.toString()));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("--sweep rho=x"), run.err());
        assertFalse(Files.exists(dir), "nothing may be made for a refused sweep: " + dir);
    }

    @Test
    void theDefaultFolderNamesTheSweep() {
        final Path root = parsed(Sweep::parse, "--sweep", "rho=0.5,2", "--trials", "2").root();
        assertEquals(Path.of("results", "paper-fig4_trials=2_sweep-rho"), root);
    }

    @Test
    void paperAllRunsEachFigureIntoItsOwnFolderWithOneSummary() throws Exception {
        // Each figure's preset at a toy scale; every figure folder must hold exactly what that preset run
        // alone gives (the independent computation), and summary.csv their rows under a figure column.
        final String[] toy = {"--clients", "30", "--dim", "8", "--samples", "2-5", "--rounds", "6", "--trials", "2",
            "--engine", "reference", "--quiet"};
        final Path dir = tmp.resolve("all");
        final List<String> all = new ArrayList<>(List.of("simulate", "--preset", "paper-all", "--out", dir.toString()));
        all.addAll(List.of(toy));
        final SimulateCommandTest.Run run = SimulateCommandTest.run(all.toArray(new String[0]));
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("paper-all: 5 figures in "), run.out());

        final List<String> rows = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals("figure," + ResultFiles.SUMMARY_HEADER, rows.get(0));
        int row = 1;
        for (String figure : List.of("paper-fig1", "paper-fig3", "paper-fig4", "paper-fig5", "paper-fig6")) {
            final Path alone = tmp.resolve("alone-" + figure);
            final List<String> one = new ArrayList<>(List.of("simulate", "--preset", figure, "--out", alone.toString()));
            one.addAll(List.of(toy));
            assertEquals(0, SimulateCommandTest.run(one.toArray(new String[0])).status(), figure);
            assertEquals(Files.readString(alone.resolve("curves.csv")),
                    Files.readString(dir.resolve(figure).resolve("curves.csv")), figure + ": curves bit for bit");
            final List<String> own = Files.readAllLines(dir.resolve(figure).resolve("summary.csv"));
            for (int s = 1; s < own.size(); s++, row++) {
                assertEquals(figure + "," + own.get(s), rows.get(row), figure + " series " + s);
            }
        }
        assertEquals(rows.size(), row, "no rows besides the figures' own");
        assertFalse(Files.exists(dir.resolve(Sweep.PLOT)), "no sweep plot for the figures");

        final SimulateCommandTest.Run again = SimulateCommandTest.run(all.toArray(new String[0]));
        assertEquals(2, again.status(), "results are not overwritten without --force");
        assertTrue(again.err().contains("summary.csv"), again.err());
    }

    @Test
    void anInterruptedPaperAllResumesWithItsCheckpointsAndIsRefusedWithout() throws Exception {
        // What an interrupted run leaves at the root: its note. The same command with --checkpoint-every
        // resumes there (as the note says); without it, the folder's results are refused, not replaced.
        final Path dir = tmp.resolve("interrupted");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ResultFiles.INCOMPLETE), "This paper-all did not finish\n");
        final List<String> args = new ArrayList<>(List.of("simulate", "--preset", "paper-all", "--out", dir.toString(),
                "--clients", "30", "--dim", "8", "--samples", "2-5", "--rounds", "4", "--trials", "2", "--quiet"));
        final SimulateCommandTest.Run refused = SimulateCommandTest.run(args.toArray(new String[0]));
        assertEquals(2, refused.status(), refused.out());
        assertTrue(refused.err().contains(ResultFiles.INCOMPLETE), refused.err());
        args.addAll(List.of("--checkpoint-every", "2"));
        final SimulateCommandTest.Run resumed = SimulateCommandTest.run(args.toArray(new String[0]));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(Files.exists(dir.resolve("summary.csv")));
        assertFalse(Files.exists(dir.resolve(ResultFiles.INCOMPLETE)), "a finished run leaves no note");
    }

    @Test
    void paperAllIsRefusedWhereItCannotRunAndNamesItsDefaultFolder() {
        final SimulateCommandTest.Run swept = SimulateCommandTest.run("simulate", "--preset", "paper-all", "--sweep",
                "rho=1,2");
        assertEquals(2, swept.status());
        assertTrue(swept.err().contains("--sweep with --preset paper-all"), swept.err());
        final SimulateCommandTest.Run benchmark = SimulateCommandTest.run("benchmark", "--preset", "paper-all");
        assertEquals(2, benchmark.status());
        assertTrue(benchmark.err().contains("only `fedlink simulate`"), benchmark.err());
        assertFalse(benchmark.err().contains("\tat "), benchmark.err());

        final SimulateCommandTest.Run algorithm = SimulateCommandTest.run("simulate", "--preset", "paper-all",
                "--algorithm", "rerce");
        assertEquals(2, algorithm.status());
        assertTrue(algorithm.err().contains("--algorithm with --preset paper-all"), algorithm.err());
        final SimulateCommandTest.Run unknown = SimulateCommandTest.run("simulate", "--preset", "paper-al");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("or paper-all"), unknown.err());

        // The folder is the preset's only when no figure's settings change; a setting that differs from any
        // figure's preset names it (rounds: 100 is Figure 1's own, not the others'), and so does the mode.
        assertEquals(Path.of("results", "paper-all"), parsed(Sweep::paperAll, "--preset", "paper-all").root());
        assertEquals(Path.of("results", "paper-all"),
                parsed(Sweep::paperAll, "--preset", "paper-all", "--engine", "reference").root());
        assertEquals(Path.of("results", "paper-all_trials=20"),
                parsed(Sweep::paperAll, "--preset", "paper-all", "--trials", "20").root());
        assertEquals(Path.of("results", "paper-all_rounds=100"),
                parsed(Sweep::paperAll, "--preset", "paper-all", "--rounds", "100").root());
        final Path freeRunning = parsed(Sweep::paperAll, "--preset", "paper-all", "--mode", "free-running").root();
        assertTrue(freeRunning.getFileName().toString().startsWith("paper-all_")
                && freeRunning.toString().contains("free-running"), freeRunning.toString());
    }

    private static Sweep parsed(java.util.function.BiFunction<picocli.CommandLine, SimulateCommand, Sweep> how,
                                String... args) {
        final picocli.CommandLine cmd = Fedlink.commandLine();
        final List<String> all = new ArrayList<>(List.of("simulate"));
        all.addAll(List.of(args));
        final picocli.CommandLine sub = cmd.parseArgs(all.toArray(new String[0])).subcommand().commandSpec()
                .commandLine();
        return how.apply(sub, sub.getCommand());
    }
}
