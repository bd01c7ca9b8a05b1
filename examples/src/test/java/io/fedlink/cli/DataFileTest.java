package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.engine.Experiment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `--data FILE.csv`: generated tables whose true parameter is known, the partition written to the
 * output folder, and every bad file refused (exit 2) naming the file, line and column.
 */
class DataFileTest {

    /** y = 2 a - 3 b + 0.5 c + 4, noiseless. */
    private static final double[] OMEGA = {2.0, -3.0, 0.5};
    private static final double OFFSET = 4.0;

    @TempDir
    Path tmp;

    /** A table of {@code rows} rows: id, a, b, c, w (a row weight), y; cells as Java writes doubles. */
    private Path table(String name, int rows) throws Exception {
        return table(tmp, name, rows);
    }

    /** The same table written into {@code dir} (the cluster tests give their nodes one). */
    static Path table(Path dir, String name, int rows) throws Exception {
        final Random random = new Random(12);
        final StringBuilder csv = new StringBuilder("id,a,b,c,w,y\n");
        for (int r = 0; r < rows; r++) {
            final double a = random.nextGaussian() * 3 + 1;
            final double b = random.nextDouble() * 10;
            final double c = random.nextGaussian() - 2;
            final double w = 0.5 + random.nextDouble();
            csv.append(r).append(',').append(a).append(',').append(b).append(',').append(c).append(',').append(w)
                    .append(',').append(OMEGA[0] * a + OMEGA[1] * b + OMEGA[2] * c + OFFSET).append('\n');
        }
        final Path file = dir.resolve(name);
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    private static ExperimentOptions.Resolved resolve(String... args) {
        final CommandLine cmd = Fedlink.commandLine();
        final CommandLine sub = cmd.parseArgs(args).subcommand().commandSpec().commandLine();
        return ((SimulateCommand) sub.getCommand()).options.resolve(sub);
    }

    @Test
    void wStarOfAGeneratedTableIsItsTrueParameterInStandardisedUnits() throws Exception {
        final Path file = table("known.csv", 60);
        final Experiment experiment = resolve("simulate", "--data", file.toString(), "--target", "y", "--features",
                "a,b,c", "--weight", "w", "--intercept", "--clients", "5", "--partition", "dirichlet:0.5").experiment();
        assertEquals(4, experiment.dimension(), "three features and the intercept");
        // The standardisation, recomputed here: x = mean + sd z, so y = sum omega_j sd_j z_j + (4 + sum omega_j mean_j).
        final List<String> lines = Files.readAllLines(file);
        final double[] mean = new double[3];
        final double[] square = new double[3];
        for (String line : lines.subList(1, lines.size())) {
            final String[] cells = line.split(",");
            for (int j = 0; j < 3; j++) {
                final double x = Double.parseDouble(cells[j + 1]);
                mean[j] += x / 60;
                square[j] += x * x / 60;
            }
        }
        final double[] expected = new double[4];
        expected[3] = OFFSET;
        for (int j = 0; j < 3; j++) {
            expected[j] = OMEGA[j] * Math.sqrt(square[j] - mean[j] * mean[j]);
            expected[3] += OMEGA[j] * mean[j];
        }
        final FederatedProblem problem = experiment.generateProblem();
        final double[] optimum = problem.optimum();
        for (int j = 0; j < 4; j++) {
            assertEquals(expected[j], optimum[j], 1e-9 * (1 + Math.abs(expected[j])), "coordinate " + j);
        }
        int rows = 0;
        for (int d : problem.sampleCounts()) {
            assertTrue(d >= 1, "every client has a row");
            rows += d;
        }
        assertEquals(60, rows);
    }

    @Test
    void simulateWritesThePartitionAndConvergesOnTheTable() throws Exception {
        final Path file = table("run.csv", 40);
        final Path out = tmp.resolve("out");
        final SimulateCommandTest.Run run = SimulateCommandTest.run("simulate", "--data", file.toString(), "--target",
                "y", "--features", "a,b,c", "--intercept", "--partition", "sorted:b", "--clients", "4", "--algorithm",
                "rerce,scaffold", "--selected", "4", "--link-noise", "0", "--rounds", "60", "--trials", "1", "--rho", "0.1", "--engine", "reference",
                "--quiet", "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        final List<String> partition = Files.readAllLines(out.resolve("partition.csv"));
        assertEquals("row,client", partition.get(0));
        assertEquals(41, partition.size());
        // sorted:b gives each client a contiguous range of b: the clients' b ranges do not overlap
        final List<String> data = Files.readAllLines(file);
        final double[] low = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        final double[] high = new double[4];
        for (int r = 0; r < 40; r++) {
            final int client = Integer.parseInt(partition.get(r + 1).split(",")[1]);
            final double b = Double.parseDouble(data.get(r + 1).split(",")[2]);
            low[client] = Math.min(low[client], b);
            high[client] = Math.max(high[client], b);
        }
        for (int k = 0; k < 3; k++) {
            assertTrue(high[k] <= low[k + 1], "client " + k + "'s b below client " + (k + 1) + "'s");
        }
        final List<String[]> summary = ChannelCommandTest.rows(out.resolve("summary.csv"));
        for (String[] row : summary) {
            assertTrue(Double.parseDouble(row[5]) < -30, row[0] + " converges on a noiseless table: " + row[5]);
        }
        assertTrue(Files.readString(out.resolve("command.txt")).contains("--data " + file + " --target y --features a,b,c"
                + " --intercept --partition sorted:b"), "command.txt names the data");
    }

    @Test
    void badFilesAreRefusedNamingFileLineAndColumn() throws Exception {
        final Path good = table("good.csv", 30);
        final List<String> lines = Files.readAllLines(good);
        final List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"good.csv", "--target", "nope", "good.csv line 1, column 'nope': no such column"});
        cases.add(new String[] {"good.csv", "--target", "y", "--features", "a,zz", "column 'zz': no such column"});
        final List<String> text = new ArrayList<>(lines);
        text.set(4, text.get(4).replaceFirst(",[^,]+,", ",x7,"));             // line 5, column a
        cases.add(new String[] {write("text.csv", text), "--target", "y", "text.csv line 5, column 'a': 'x7' is not a number"});
        final List<String> shortRow = new ArrayList<>(lines);
        shortRow.set(2, "1,2");
        cases.add(new String[] {write("short.csv", shortRow), "--target", "y", "short.csv line 3: has 2 cells, but the header names 6"});
        final List<String> constant = new ArrayList<>();
        for (String line : lines) {
            constant.add(line.replaceFirst("^[^,]+,", line.startsWith("id") ? "k," : "7,"));
        }
        cases.add(new String[] {write("constant.csv", constant), "--target", "y", "column 'k': the feature is constant"});
        final List<String> dependent = new ArrayList<>();
        for (String line : lines) {
            final String[] c = line.split(",");
            dependent.add(line + "," + (line.startsWith("id") ? "d" : Double.toString(Double.parseDouble(c[1])
                    + 2 * Double.parseDouble(c[2]))));
        }
        cases.add(new String[] {write("dependent.csv", dependent), "--target", "y", "--features", "a,b,c,d",
            "column 'd': a linear combination of the feature columns before it (a, b, c)"});
        final List<String> weights = new ArrayList<>(lines);
        weights.set(6, weights.get(6).replaceFirst(",[^,]+,([^,]+)$", ",-1,$1"));
        cases.add(new String[] {write("weights.csv", weights), "--target", "y", "--weight", "w",
            "weights.csv line 7, column 'w': the weight -1.0 is not positive"});
        cases.add(new String[] {"good.csv", "--target", "y", "--clients", "31", "30 data rows (lines 2..31), fewer than the 31 clients"});
        cases.add(new String[] {"good.csv", "--target", "y", "--partition", "sorted:nope", "column 'nope': no such column"});
        cases.add(new String[] {"good.csv", "--target", "y", "--partition", "random", "--partition random: expected iid, "
                + "sorted:COLUMN or dirichlet:ALPHA"});
        cases.add(new String[] {"good.csv", "--target", "y", "--dim", "3", "--dim with --data: the file gives L"});
        cases.add(new String[] {"missing.csv", "--target", "y", "missing.csv: no such readable file"});
        for (String[] c : cases) {
            final List<String> args = new ArrayList<>(List.of("simulate", "--data", tmp.resolve(c[0]).toString(),
                    "--out", tmp.resolve("never").toString()));
            args.addAll(List.of(c).subList(1, c.length - 1));
            if (!args.contains("--clients")) {
                args.addAll(List.of("--clients", "3"));
            }
            final SimulateCommandTest.Run run = SimulateCommandTest.run(args.toArray(new String[0]));
            assertEquals(2, run.status(), String.join(" ", args) + "\n" + run.err());
            assertTrue(run.err().contains(c[c.length - 1]), "expected '" + c[c.length - 1] + "' in:\n" + run.err());
            assertEquals(1, run.err().strip().lines().count() - 1, "one line (and the hint): " + run.err());
        }
        final SimulateCommandTest.Run orphan = SimulateCommandTest.run("simulate", "--target", "y");
        assertEquals(2, orphan.status());
        assertTrue(orphan.err().contains("--target describes a data file: give --data FILE.csv too"), orphan.err());
    }

    private String write(String name, List<String> lines) throws Exception {
        Files.write(tmp.resolve(name), lines, StandardCharsets.UTF_8);
        return name;
    }
}
