package io.fedlink.cli;

import io.fedlink.cli.dashboard.Dashboard;
import io.fedlink.core.engine.SeriesResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVPrinter;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code fedlink simulate --sweep NAME=V1,V2,...}: the experiment once per value of a scalar flag
 * (a grid when repeated), each point a full run in its own sub-folder named after it
 * ({@code rho=0.5}, or {@code rho=0.5,clients=20} on a grid), then {@code sweep.csv} (the swept values,
 * then summary.csv's columns) and {@code sweep.png} (steady state against the first swept value,
 * one line per series and value of the other swept flags). Values are kept as typed, so they
 * print as typed. Every point is validated before the first one runs.
 *
 * <p>{@code fedlink simulate --preset paper-all} is the same machinery over the paper's figures: one
 * point per figure's preset, in one JVM, each in a sub-folder named after the preset, then one
 * {@code summary.csv} (a {@code figure} column, then summary.csv's columns) and no sweep plot.
 */
final class Sweep {

    static final String CSV = "sweep.csv";
    static final String PLOT = "sweep.png";

    /** Flags that a sweep cannot vary: where the output goes, how it is shown, and the sweep itself. */
    private static final Set<String> NOT_SWEPT = Set.of("--out", "--force", "--quiet", "--sweep", "--per-trial",
            "--checkpoint-every", "--fresh", "--dashboard", "--dashboard-linger", "--help", "--version");
    /** The series flags: each of their values is a series already. */
    private static final Set<String> SERIES_FLAGS = Set.of("--algorithm", "--selected", "--link-noise",
            "--uplink-noise", "--downlink-noise");

    /** The figures {@code --preset paper-all} runs, in the paper's order. */
    static final String PAPER_ALL = "paper-all";
    static final List<Preset> PAPER_ALL_FIGURES = List.of(Preset.PAPER_FIG1, Preset.PAPER_FIG3, Preset.PAPER_FIG4,
            Preset.PAPER_FIG5, Preset.PAPER_FIG6);

    /** One swept flag: its column (and folder) name, the flag it sets, and its values as typed. */
    private record Axis(String name, String flag, List<String> values) {
        Axis(String name, List<String> values) {
            this(name, "--" + name, values);
        }
    }

    /** What a sweep is over: flags (--sweep), or the paper's figures (--preset paper-all). */
    private enum Kind {
        FLAGS("sweep", CSV),
        FIGURES(PAPER_ALL, ResultFiles.SUMMARY);

        final String label;
        final String csv;

        Kind(String label, String csv) {
            this.label = label;
            this.csv = csv;
        }
    }

    private record Point(String folder, List<String> values, SimulateCommand.Prepared prepared) {
    }

    private final Kind kind;
    private final List<Axis> axes;
    private final List<Point> points;
    private final Path root;
    private final boolean rootGiven;
    private final String typed;

    private final boolean force;
    private final boolean resuming;

    private Sweep(Kind kind, List<Axis> axes, List<Point> points, Path root, boolean rootGiven, boolean force,
                  boolean resuming, String typed) {
        this.kind = kind;
        this.force = force;
        this.resuming = resuming;
        this.axes = axes;
        this.points = points;
        this.root = root;
        this.rootGiven = rootGiven;
        this.typed = typed;
    }

    /** Parses and validates every point; a usage error names the point and what is wrong. */
    static Sweep parse(CommandLine cmd, SimulateCommand base) {
        final List<Axis> axes = new ArrayList<>();
        final Set<String> names = new LinkedHashSet<>();
        for (String spec : base.sweep) {
            final int eq = spec.indexOf('=');
            if (eq < 1) {
                throw ExperimentOptions.usage(cmd, "--sweep " + spec + ": expected NAME=V1,V2,... (e.g. rho=0.5,1,2)");
            }
            final String name = spec.substring(0, eq).trim().replaceFirst("^--", "");
            final String flag = "--" + name;
            final OptionSpec option = cmd.getCommandSpec().findOption(flag);
            if (option == null || !option.longestName().equals(flag)) {
                throw ExperimentOptions.usage(cmd, "--sweep " + spec + ": simulate has no flag " + flag
                        + "; sweep a scalar flag such as rho, clients, dim, samples, rounds, trials or seed");
            }
            if (SERIES_FLAGS.contains(flag)) {
                throw ExperimentOptions.usage(cmd, "--sweep " + spec + ": " + flag + " takes a list already, and each "
                        + "of its values is a series: give " + flag + " " + spec.substring(eq + 1).trim() + " instead");
            }
            if (NOT_SWEPT.contains(flag) || option.arity().max() == 0) {
                throw ExperimentOptions.usage(cmd, "--sweep " + spec + ": " + flag + " is not a setting of the "
                        + "experiment; sweep a scalar flag such as rho, clients, dim, samples, rounds, trials or seed");
            }
            if (cmd.getParseResult().hasMatchedOption(flag)) {
                throw ExperimentOptions.usage(cmd, "--sweep " + spec + " and " + flag + " together: the sweep sets "
                        + flag + " at each point; leave " + flag + " out");
            }
            if (!names.add(name)) {
                throw ExperimentOptions.usage(cmd, "--sweep " + name + " is given twice; list every value in one --sweep");
            }
            final List<String> values = new ArrayList<>();
            for (String v : spec.substring(eq + 1).split(",", -1)) {
                if (v.isBlank()) {
                    throw ExperimentOptions.usage(cmd, "--sweep " + spec + ": an empty value");
                }
                values.add(v.trim());
            }
            ExperimentOptions.refuseRepeats(cmd, "--sweep " + name + "=", canonical(values));
            axes.add(new Axis(name, values));
        }
        final long size = axes.stream().mapToLong(a -> a.values().size()).reduce(1, (a, b) -> a * b);
        if (size > 1000) {
            throw ExperimentOptions.usage(cmd, "--sweep: " + size + " points; at most 1000 in one sweep");
        }

        return build(cmd, base, Kind.FLAGS, axes, argumentsWithout(cmd, Set.of("--sweep", "--out")), names);
    }

    /**
     * {@code --preset paper-all}: Figures 1 and 3-6 (their presets), each with the other flags as given,
     * validated like a sweep's points before the first one runs.
     */
    static Sweep paperAll(CommandLine cmd, SimulateCommand base) {
        if (base.sweep != null) {
            throw ExperimentOptions.usage(cmd, "--sweep with --preset " + PAPER_ALL + ": paper-all runs several "
                    + "experiments already; sweep one figure's preset instead (e.g. --preset paper-fig4 --sweep ...)");
        }
        for (String flag : SERIES_FLAGS) {
            if (cmd.getParseResult().hasMatchedOption(flag)) {
                throw ExperimentOptions.usage(cmd, flag + " with --preset " + PAPER_ALL + ": each figure compares its "
                        + "own series; give " + flag + " with one figure's preset (e.g. --preset paper-fig4 " + flag
                        + " ...)");
            }
        }
        final Axis figures = new Axis("figure", "--preset", PAPER_ALL_FIGURES.stream().map(Preset::id).toList());
        return build(cmd, base, Kind.FIGURES, List.of(figures),
                argumentsWithout(cmd, Set.of("--sweep", "--out", "--preset")), Set.of("preset"));
    }

    /**
     * Every point of the grid over {@code axes}: {@code args} plus each axis' flag and value, parsed and
     * prepared into its sub-folder of the root (given by --out, else named after the points' settings
     * less the flags in {@code ignored}).
     */
    private static Sweep build(CommandLine cmd, SimulateCommand base, Kind kind, List<Axis> axes, List<String> args,
                               Set<String> ignored) {
        final List<String> folders = new ArrayList<>();
        final List<List<String>> grid = grid(axes);
        final List<SimulateCommand> commands = new ArrayList<>();
        final List<CommandLine> pointCmds = new ArrayList<>();
        for (List<String> values : grid) {
            final StringBuilder folder = new StringBuilder();
            final List<String> pointArgs = new ArrayList<>(args);
            for (int a = 0; a < axes.size(); a++) {
                folder.append(a == 0 ? "" : ",");
                if (kind == Kind.FLAGS) {
                    folder.append(axes.get(a).name()).append('=');
                }
                folder.append(values.get(a));
                pointArgs.add(axes.get(a).flag());
                pointArgs.add(values.get(a));
            }
            final SimulateCommand command = new SimulateCommand();
            final CommandLine pointCmd = new CommandLine(command);
            AlgorithmFlags.register(pointCmd, command.options);
            folders.add(folder.toString());
            pointUsage(cmd, kind, folder.toString(), () -> pointCmd.parseArgs(pointArgs.toArray(new String[0])));
            commands.add(command);
            pointCmds.add(pointCmd);
        }
        // The root folder first, so that a folder holding results is refused by its own name before any point.
        final Path given = base.out;
        final Path root = given != null ? given : pointUsage(cmd, kind, folders.get(0), () -> kind == Kind.FLAGS
                ? defaultRoot(commands.get(0), pointCmds.get(0), ignored)
                : paperAllRoot(commands, pointCmds, folders, typedArguments(cmd)));
        // A root that an interrupted run left (INCOMPLETE.txt) is resumed, not refused, when the points
        // resume their checkpoints: the same command then picks up where it stopped, as its note says.
        final boolean resuming = base.checkpointEvery != null && !base.fresh
                && java.nio.file.Files.exists(root.resolve(ResultFiles.INCOMPLETE));
        OutputFolder.check(cmd, root, given != null, base.force, resuming);
        final List<Point> points = new ArrayList<>();
        for (int p = 0; p < grid.size(); p++) {
            final int at = p;
            points.add(new Point(folders.get(p), grid.get(p), pointUsage(cmd, kind, folders.get(p),
                    () -> commands.get(at).prepare(pointCmds.get(at), root.resolve(folders.get(at))))));
        }
        return new Sweep(kind, axes, points, root, given != null, base.force, resuming,
                SimulateCommand.typedCommand(cmd));
    }

    /** Runs {@code step} for one point; a usage error in it is reported as the point's, on {@code cmd}. */
    private static <T> T pointUsage(CommandLine cmd, Kind kind, String folder, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (CommandLine.ParameterException e) {
            if (e.getCommandLine() == cmd) {
                throw e;
            }
            throw ExperimentOptions.usage(cmd, (kind == Kind.FLAGS ? "--sweep " : "--preset " + PAPER_ALL + ", ")
                    + folder + ": " + e.getMessage());
        }
    }

    /** The sweep's default root: the first point's settings less the swept flags, then "_sweep-NAMES". */
    private static Path defaultRoot(SimulateCommand command, CommandLine pointCmd, Set<String> names) {
        final ExperimentOptions.Resolved first = command.options.resolve(pointCmd);
        final String baseName = first.preset() != null ? first.preset().id() : "custom";
        return OutputFolder.defaultFor(baseName, first.reproducingArguments(),
                command.options.baselineArguments(pointCmd, first), "_sweep-" + String.join(",", names), names);
    }

    /**
     * paper-all's default root: {@code results/paper-all} when every figure runs its preset unchanged,
     * else "paper-all" followed by every setting that differs from some figure's preset (each figure's own
     * default folder name, less its preset id, the settings in the order first seen), e.g.
     * {@code results/paper-all_rounds=100} or {@code results/paper-all_trials=20}; past
     * {@value OutputFolder#LONGEST_DESCRIPTIVE_NAME} characters, or when a figure's own name is a hash,
     * {@code results/paper-all_<8 hex digits of the typed arguments>}.
     */
    private static Path paperAllRoot(List<SimulateCommand> commands, List<CommandLine> pointCmds, List<String> figures,
                                     String typed) {
        final Set<String> settings = new LinkedHashSet<>();
        boolean hashed = false;
        for (int p = 0; p < commands.size(); p++) {
            final SimulateCommand command = commands.get(p);
            final CommandLine pointCmd = pointCmds.get(p);
            final String own = command.defaultOutput(pointCmd, command.options.resolve(pointCmd),
                    command.engineOptions.engine(pointCmd), "").getFileName().toString();
            for (String part : own.substring(figures.get(p).length()).split("_")) {
                if (!part.isEmpty()) {
                    hashed |= part.indexOf('=') < 0;
                    settings.add(part);
                }
            }
        }
        final String name = PAPER_ALL + settings.stream().map(x -> "_" + x).collect(java.util.stream.Collectors.joining());
        return Path.of("results", hashed || name.length() > OutputFolder.LONGEST_DESCRIPTIVE_NAME
                ? PAPER_ALL + "_" + String.format("%08x", typed.hashCode()) : name);
    }

    /** The arguments as typed, less the output flags, for a hashed folder name. */
    private static String typedArguments(CommandLine cmd) {
        return String.join(" ", argumentsWithout(cmd, Set.of("--out", "--force", "--quiet")));
    }

    /** Numbers compared as numbers (0.5 and 0.50 repeat each other), anything else as typed. */
    private static List<String> canonical(List<String> values) {
        final List<String> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(String.valueOf(new java.math.BigDecimal(v).stripTrailingZeros()));
            } catch (NumberFormatException e) {
                out.add(v.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    /** simulate's arguments as typed, less the command name and the flags {@code left} (and their values). */
    private static List<String> argumentsWithout(CommandLine cmd, Set<String> left) {
        final List<String> original = new ArrayList<>(cmd.getParseResult().originalArgs());
        final int at = original.indexOf(cmd.getCommandName());
        final List<String> rest = at >= 0 ? original.subList(at + 1, original.size()) : original;
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            final String arg = rest.get(i);
            final int eq = arg.indexOf('=');
            final String flag = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            if (left.contains(arg)) {
                i++;
            } else if (!left.contains(flag)) {
                out.add(arg);
            }
        }
        return out;
    }

    /** Every combination of the axes' values, the first axis varying slowest. */
    private static List<List<String>> grid(List<Axis> axes) {
        List<List<String>> grid = List.of(List.of());
        for (Axis axis : axes) {
            final List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : grid) {
                for (String v : axis.values()) {
                    final List<String> point = new ArrayList<>(prefix);
                    point.add(v);
                    next.add(point);
                }
            }
            grid = next;
        }
        return grid;
    }

    /**
     * Runs every point, then writes sweep.csv and sweep.png (paper-all: summary.csv); stops at the first
     * point that fails. Each point is a run of its own on {@code dashboard} (null for none).
     */
    int run(PrintWriter console, PrintWriter err, Dashboard dashboard) throws IOException {
        OutputFolder.claim(points.get(0).prepared().cmd(), root, rootGiven, force, resuming);
        final List<List<Object>> rows = new ArrayList<>();
        final Map<Point, List<SeriesResult>> done = new LinkedHashMap<>();
        final List<String> times = new ArrayList<>();
        final long start = System.nanoTime();
        final SweepGuard guard = new SweepGuard();
        guard.arm();
        for (int i = 0; i < points.size(); i++) {
            final Point p = points.get(i);
            final String name = (kind == Kind.FLAGS ? "sweep point " : kind.label + " figure ") + (i + 1) + " of "
                    + points.size() + ": " + p.folder();
            console.printf("%n%s%n", name);
            final List<List<SeriesResult>> recorded = new ArrayList<>();
            final long pointStart = System.nanoTime();
            final int status = p.prepared().execute(console, err, typed, recorded::add, dashboard, name);
            if (status != 0) {
                guard.disarm();
                writeIncomplete(rows, "point " + p.folder() + " did not finish (see its " + ResultFiles.INCOMPLETE
                        + ")", i);
                return status;
            }
            times.add(String.format(java.util.Locale.ROOT, "%s %.1f s", p.folder(), seconds(pointStart)));
            for (List<Object> row : ResultFiles.summaryRows(p.prepared().run(), recorded.get(0))) {
                final List<Object> full = new ArrayList<>(p.values());
                full.addAll(row);
                rows.add(full);
            }
            done.put(p, recorded.get(0));
            guard.progress(rows, i + 1);
        }
        guard.disarm();
        writeCsv(root.resolve(kind.csv), rows);
        if (kind == Kind.FLAGS) {
            plot(root.resolve(PLOT), done);
        }
        OutputFolder.removeIncomplete(root);
        console.println();
        console.printf(java.util.Locale.ROOT, "%s: %d %s in %.1f s (%s)%n", kind.label, points.size(),
                kind == Kind.FLAGS ? "points" : "figures", seconds(start), String.join(", ", times));
        console.println(kind.label + ": wrote " + root.resolve(kind.csv) + (kind == Kind.FLAGS ? ", " + PLOT : "")
                + " and " + points.size() + (kind == Kind.FLAGS ? " point" : " figure") + " folders");
        console.flush();
        return 0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The folder the points' sub-folders and the collected CSV go to. */
    Path root() {
        return root;
    }

    private String header() {
        return String.join(",", axes.stream().map(Axis::name).toList()) + "," + ResultFiles.SUMMARY_HEADER;
    }

    private void writeCsv(Path file, List<List<Object>> rows) throws IOException {
        try (CSVPrinter out = ResultFiles.printer(file, header())) {
            for (List<Object> row : rows) {
                out.printRecord(row);
            }
        }
    }

    /** What a sweep that stopped early leaves in its root: the completed points' rows and why. */
    private void writeIncomplete(List<List<Object>> rows, String reason, int pointsDone) {
        try {
            if (!rows.isEmpty()) {
                writeCsv(root.resolve(ResultFiles.incomplete(kind.csv)), rows);
            }
            OutputFolder.write(root.resolve(ResultFiles.INCOMPLETE), "This " + kind.label + " did not finish: "
                    + reason + ".\n"
                    + "Kept in " + root + ": " + pointsDone + " of " + points.size()
                    + (kind == Kind.FLAGS ? " points" : " figures") + " complete"
                    + (rows.isEmpty() ? "" : " (" + ResultFiles.incomplete(kind.csv) + " and their folders)") + ".\n"
                    + "To rerun: the same command with --force, or another --out (points run with --checkpoint-every "
                    + "resume from their own checkpoints).\n"
                    + "The command: " + typed + "\n");
        } catch (IOException e) {
            // nothing more can be kept; the point's own INCOMPLETE.txt says what it has
        }
    }

    /** Writes the sweep's incomplete files if the JVM is stopped (Ctrl-C) mid-sweep. */
    private final class SweepGuard {
        private List<List<Object>> rows = List.of();
        private int pointsDone;
        private boolean armed;
        private final Thread hook = new Thread(this::onInterrupt, "fedlink-sweep-interrupt");

        synchronized void arm() {
            armed = true;
            Runtime.getRuntime().addShutdownHook(hook);
        }

        synchronized void progress(List<List<Object>> soFar, int done) {
            rows = List.copyOf(soFar);
            pointsDone = done;
        }

        synchronized void disarm() {
            if (armed) {
                armed = false;
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // exiting already
                }
            }
        }

        private synchronized void onInterrupt() {
            if (armed) {
                writeIncomplete(rows, "interrupted (Ctrl-C or a termination signal) during point "
                        + (pointsDone + 1), pointsDone);
            }
        }
    }

    /**
     * sweep.png: steady state against the first swept value, one line per series and value of the
     * other swept flags, with each point's 95% interval as a whisker; diverged points are left out.
     * A first axis whose values are not all numbers is drawn at positions 1, 2, ... in sweep order.
     */
    private void plot(Path file, Map<Point, List<SeriesResult>> done) throws IOException {
        final Axis first = axes.get(0);
        final boolean numeric = first.values().stream().allMatch(Sweep::isNumber);
        final XYChart chart = new XYChartBuilder().width(1200).height(640)
                .title("steady state against " + first.name() + (axes.size() > 1 ? ", one line per "
                        + String.join(", ", axes.subList(1, axes.size()).stream().map(Axis::name).toList()) : ""))
                .xAxisTitle(first.name() + (numeric ? "" : " (in sweep order)"))
                .yAxisTitle("steady-state NMSE (dB)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setLegendBorderColor(Color.WHITE);
        final Map<String, List<double[]>> lines = new LinkedHashMap<>();   // name -> (x, y, lo, hi)
        for (Map.Entry<Point, List<SeriesResult>> e : done.entrySet()) {
            final Point p = e.getKey();
            final double x = numeric ? Double.parseDouble(p.values().get(0)) : first.values().indexOf(p.values().get(0)) + 1;
            final String others = axes.size() == 1 ? "" : ", " + String.join(", ", java.util.stream.IntStream
                    .range(1, axes.size()).mapToObj(a -> axes.get(a).name() + "=" + p.values().get(a)).toList());
            for (SeriesResult r : e.getValue()) {
                if (r.divergedRound() > 0) {
                    continue;
                }
                final io.fedlink.core.metric.ConfidenceBand band = ResultFiles.steadyStateBand(r);
                lines.computeIfAbsent(r.spec().legend() + others, k -> new ArrayList<>()).add(new double[] {x,
                        r.steadyStateDb(), band == null ? Double.NaN : band.lowerDb()[0],
                        band == null ? Double.NaN : band.upperDb()[0]});
            }
        }
        final Color[] palette = {Color.BLACK, new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e)};
        final org.knowm.xchart.style.markers.Marker[] markers = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};
        int i = 0;
        double yMin = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, List<double[]>> line : lines.entrySet()) {
            final List<double[]> pts = line.getValue();
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            final Color colour = palette[i % palette.length];
            final XYSeries s = chart.addSeries(line.getKey(), pts.stream().mapToDouble(p -> p[0]).toArray(),
                    pts.stream().mapToDouble(p -> p[1]).toArray());
            s.setMarker(markers[i % markers.length]);
            s.setMarkerColor(colour);
            s.setLineColor(colour);
            s.setLineStyle(i / palette.length % 2 == 0 ? new BasicStroke(1.6f)
                    : new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {10f, 5f}, 0f));
            int w = 0;
            for (double[] p : pts) {
                yMin = Math.min(yMin, p[1]);
                if (Double.isFinite(p[3])) {
                    final double lo = Double.isFinite(p[2]) ? p[2] : p[1] - 100;
                    final XYSeries whisker = chart.addSeries(line.getKey() + " interval " + (w++),
                            new double[] {p[0], p[0]}, new double[] {lo, p[3]});
                    whisker.setMarker(SeriesMarkers.NONE);
                    whisker.setLineColor(colour);
                    whisker.setLineStyle(new BasicStroke(1f));
                    whisker.setShowInLegend(false);
                    yMin = Math.min(yMin, Double.isFinite(p[2]) ? p[2] : yMin);
                }
            }
            i++;
        }
        if (lines.isEmpty()) {
            chart.addSeries("every series diverged", new double[] {0}, new double[] {0});
        } else if (Double.isFinite(yMin)) {
            chart.getStyler().setYAxisMin(Math.floor(yMin - 1));
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return kind.label + " over " + Arrays.toString(axes.toArray()) + " into " + root;
    }
}
