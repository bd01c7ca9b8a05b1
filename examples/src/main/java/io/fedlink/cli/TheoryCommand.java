package io.fedlink.cli;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import io.fedlink.core.theory.LinkVariances;
import io.fedlink.core.theory.TheoryLinks;
import io.fedlink.core.theory.RerceDesign;
import io.fedlink.core.theory.RerceTheory;
import io.fedlink.core.theory.TheoryReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedlink theory}: the exact mean-square learning curve of `rerce` (SPEC 7.2) and the paper's
 * approximation (SPEC 7.1), for the same federation `fedlink simulate` generates from the same flags
 * and seed; sweeps, an optional Monte Carlo check, and design answers.
 */
@Command(name = "theory", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Predicts the learning curve and steady state of rerce exactly, without Monte Carlo.",
            "Shows the paper's own approximation beside it. Writes theory.csv and theory-curves.csv (and, with",
            "--simulate, theory.png) to --out and prints the table. --target answers design questions."
        })
final class TheoryCommand implements Callable<Integer> {

    static final String TABLE = "theory.csv";
    static final String CURVES = "theory-curves.csv";
    static final String PLOT = "theory.png";
    static final String DESIGN = "design.csv";
    static final String TABLE_HEADER = "selected,uplink_noise,downlink_noise,steady_state_db,paper_approx_db";
    static final String CURVES_HEADER = "selected,uplink_noise,downlink_noise,round,nmse_db";
    private static final Pattern SWEEP = Pattern.compile("([^:]+):([^:]+):([^:]+)");

    /** The paper's small-scale theory experiments (SPEC 6 and 7.3), K = L = 6, d_k ~ U{2..5}, 400 rounds. */
    enum TheoryPreset {
        PAPER_FIG8("paper-fig8", "uplink", "0:0.01:11", List.of(3), null, null, List.of(0.0, 1e-2)),
        PAPER_FIG9("paper-fig9", "downlink", "0:0.01:11", List.of(3), null, List.of(0.0, 1e-2), null),
        PAPER_FIG10("paper-fig10", "selected", "2:6:5", null, List.of(6.25e-4, 1e-2), null, null);

        final String id;
        final String sweep;
        final String range;
        final List<Integer> selected;
        final List<Double> linkNoise;
        final List<Double> uplink;
        final List<Double> downlink;

        TheoryPreset(String id, String sweep, String range, List<Integer> selected, List<Double> linkNoise,
                     List<Double> uplink, List<Double> downlink) {
            this.id = id;
            this.sweep = sweep;
            this.range = range;
            this.selected = selected;
            this.linkNoise = linkNoise;
            this.uplink = uplink;
            this.downlink = downlink;
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "paper-fig8 (uplink sweep, downlink 0 and 1e-2, C = 3), paper-fig9 (downlink sweep, uplink 0 "
                    + "and 1e-2, C = 3), paper-fig10 (C = 2..6 at 6.25e-4 and 1e-2): K = L = 6, samples 2-5, 400 rounds. "
                    + "Flags given with a preset override it.")
    String preset;

    @Option(names = "--algorithm", paramLabel = "NAME", description = "The algorithm predicted: rerce, the only one "
            + "with an exact theory (others are refused, by name).")
    String algorithm;

    @Option(names = "--clients", paramLabel = "K", description = "Number of clients (default: 6).")
    Integer clients;

    @Option(names = "--dim", paramLabel = "L", description = "Model dimension (default: 6).")
    Integer dimension;

    @Option(names = "--selected", split = ",", paramLabel = "C", description = "Clients polled per round (default: 3).")
    List<Integer> selected;

    @Option(names = "--rho", paramLabel = "RHO", description = "ADMM penalty (default: 1).")
    Double rho;

    @Option(names = "--samples", paramLabel = "MIN-MAX", description = "Range of d_k, or 'paper' (default: 2-5 at "
            + "K = 6; else as fedlink simulate).")
    String samples;

    @Option(names = "--link-noise", split = ",", paramLabel = "VAR", description = "Uplink = downlink variance(s) "
            + "(default: 6.25e-4).")
    List<Double> linkNoise;

    @Option(names = "--uplink-noise", split = ",", paramLabel = "VAR", description = "Uplink variance(s).")
    List<Double> uplinkNoise;

    @Option(names = "--downlink-noise", split = ",", paramLabel = "VAR", description = "Downlink variance(s).")
    List<Double> downlinkNoise;

    @Option(names = "--channel", paramLabel = "SPEC", description = "Channel of both directions, where the theory is "
            + "exact: stages erasure:P, rayleigh:T (T > 0) and awgn (default: awgn). Lossy links need --missing by-C.")
    String channel;

    @Option(names = "--uplink-channel", paramLabel = "SPEC", description = "Uplink channel (default: --channel's).")
    String uplinkChannel;

    @Option(names = "--downlink-channel", paramLabel = "SPEC", description = "Downlink channel (default: --channel's).")
    String downlinkChannel;

    @Option(names = "--link-budget", paramLabel = "BUDGET", description = "Per-client variances: uniform (default), "
            + "pathloss:EXPONENT or FILE.csv.")
    String linkBudget;

    @Option(names = "--missing", paramLabel = "RULE", description = "What the server divides by when an upload is "
            + "missing: received (default) or by-C; the theory of lossy links is exact for by-C only.")
    String missing;

    @Option(names = "--rounds", paramLabel = "T", description = "Horizon (default: 400).")
    Integer rounds;

    @Option(names = "--seed", paramLabel = "S", description = "Root seed of the data (default: 1).")
    Long seed;

    @Option(names = "--sweep", arity = "2", paramLabel = "AXIS FROM:TO:STEPS",
            description = "One row per point: uplink|downlink|selected, then FROM:TO:STEPS (STEPS points, both ends).")
    List<String> sweep;

    @Option(names = "--simulate", description = "Also run Monte Carlo (the reference engine) at each point: adds "
            + "simulated_db and draws theory.png.")
    boolean simulate;

    @Option(names = "--trials", paramLabel = "M", description = "Monte Carlo trials with --simulate (default: 2000).")
    Integer trials;

    @Option(names = "--target", paramLabel = "DB", description = "Design answer: the smallest C reaching this steady "
            + "state (dB) at each link-noise point, or with --solve-for link-noise the largest uplink = downlink "
            + "variance reaching it at each C.")
    Double target;

    @Option(names = "--solve-for", paramLabel = "WHAT", description = "selected (default) or link-noise.")
    String solveFor;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/<preset> when "
            + "the preset's settings are unchanged, else results/<preset or theory>_<each changed setting>).")
    Path out;

    @Option(names = "--force", description = "Replace the results in an output folder that already holds some.")
    boolean force;

    private record Point(int selected, double uplink, double downlink) {
    }

    /**
     * Everything the flags say, validated: the federation, the points (C, uplink, downlink) in the
     * order they are reported, and the lists they come from, to write the explicit command line.
     */
    private record Setting(TheoryPreset preset, String axis, int clients, int dimension, double rho,
                           SampleCounts counts, int rounds, int trials, long seed, List<Integer> selected,
                           List<Double> link, List<Double> ups, List<Double> downs, List<Point> points, String solve,
                           ChannelSpec uplinkChannel, ChannelSpec downlinkChannel, LinkBudget budget,
                           MissingUploads missing) {

        /** The links of point p, as the theory sees them (checked exact when the setting was resolved). */
        TheoryLinks links(Point p) {
            return TheoryLinks.of(uplinkChannel, downlinkChannel, budget, missing, seed, clients, p.uplink(),
                    p.downlink());
        }

        /** True for the paper's links, which the explicit command line then leaves out. */
        boolean paperLinks() {
            return uplinkChannel.isAwgn() && downlinkChannel.isAwgn() && budget instanceof LinkBudget.Uniform
                    && missing == MissingUploads.RECEIVED;
        }

        /** The points as explicit lists: reproduces this run (and its point order) on its own. */
        String explicitArguments(TheoryCommand c) {
            final StringBuilder b = new StringBuilder();
            b.append("--clients ").append(clients).append(" --dim ").append(dimension)
                    .append(" --rho ").append(SeriesSpec.format(rho)).append(" --samples ").append(counts.describe())
                    .append(" --seed ").append(seed).append(" --rounds ").append(rounds)
                    .append(" --selected ").append(String.join(",", selected.stream().map(String::valueOf).toList()));
            if (ups == null && downs == null) {
                b.append(" --link-noise ").append(join(link));
            } else {
                b.append(" --uplink-noise ").append(join(ups != null ? ups : link))
                        .append(" --downlink-noise ").append(join(downs != null ? downs : link));
            }
            if (!paperLinks()) {
                b.append(uplinkChannel.equals(downlinkChannel) ? " --channel " + uplinkChannel.describe()
                        : " --uplink-channel " + uplinkChannel.describe() + " --downlink-channel "
                                + downlinkChannel.describe());
                b.append(" --link-budget ").append(budget.describe()).append(" --missing ").append(missing.id());
            }
            if (c.simulate) {
                b.append(" --simulate --trials ").append(trials);
            }
            if (c.target != null) {
                b.append(" --target ").append(SeriesSpec.format(c.target)).append(" --solve-for ").append(solve);
            }
            return b.toString();
        }

        private static String join(List<Double> values) {
            return String.join(",", values.stream().map(SeriesSpec::format).toList());
        }
    }

    @Override
    public Integer call() throws IOException {
        final CommandLine cmd = spec.commandLine();
        final PrintWriter console = cmd.getOut();
        final Setting setting = resolve(cmd);
        final String explicit = setting.explicitArguments(this);
        final Path dir = out != null ? out : defaultOutput(cmd, setting, explicit);
        final String unwritable = ResultFiles.checkWritable(dir);
        if (unwritable != null) {
            throw ExperimentOptions.usage(cmd, "--out " + dir + ": " + unwritable);
        }
        OutputFolder.claim(cmd, dir, out != null, force, false);
        final int k = setting.clients();
        final int l = setting.dimension();
        final int t = setting.rounds();
        final List<Point> points = setting.points();
        final FederatedProblem problem = FederatedProblem.generate(setting.seed(), k, l, setting.counts(), setting.rho());
        console.printf(Locale.ROOT, "rerce theory: K = %d, L = %d, rho = %s, samples %s, seed %d, %d rounds, %d point(s)%n",
                k, l, setting.rho(), setting.counts().describe(), setting.seed(), t, points.size());
        console.flush();
        final String trivial = TrivialProblem.warning(problem, t, "--samples " + setting.counts().describe(),
                "--dim " + l, "every C and noise level");
        if (trivial != null) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": warning: " + trivial);
            cmd.getErr().flush();
        }

        final List<TheoryReport> reports = new ArrayList<>();
        for (Point p : points) {
            reports.add(RerceTheory.predict(problem, p.selected(), setting.links(p), t));
        }
        final SeriesResult[] simulated = simulate ? new SeriesResult[points.size()] : null;
        if (simulate) {
            for (int i = 0; i < points.size(); i++) {
                final Point p = points.get(i);
                final Experiment experiment = new Experiment(k, l, setting.rho(), setting.counts(), t, setting.trials(),
                        setting.seed(), SchedulingPolicy.UNIFORM,
                        List.of(new SeriesSpec(FederatedAlgorithm.RERCE, p.selected(), p.uplink(), p.downlink(),
                                setting.uplinkChannel(), setting.downlinkChannel(), setting.budget(), setting.missing())));
                simulated[i] = ReferenceEngine.usingAllCores().run(experiment, problem, ProgressListener.NONE).get(0);
            }
        }

        writeTable(dir, points, reports, simulated);
        writeCurves(dir, points, reports);
        ResultFiles.writeCommand(dir, "theory", SimulateCommand.typedCommand(cmd),
                "# every parameter explicit (reproduces this run's files exactly)\n", "fedlink theory " + explicit);
        if (simulate) {
            final double[] simulatedDb = new double[points.size()];
            for (int i = 0; i < points.size(); i++) {
                simulatedDb[i] = simulated[i].divergedRound() > 0 ? Double.NaN : simulated[i].steadyStateDb();
            }
            TheoryPlot.write(dir.resolve(PLOT), setting.preset() != null ? setting.preset().id : "rerce theory",
                    setting.axis(), points.stream().map(p -> new TheoryPlot.Point(p.selected(), p.uplink(), p.downlink()))
                            .toList(), reports, simulatedDb);
        }
        console.println();
        console.printf(Locale.ROOT, "%8s  %12s  %14s  %21s  %21s%s%n", "selected", "uplink_noise", "downlink_noise",
                "steady_state_db", "paper_approx_db", simulate ? "  " + String.format(Locale.ROOT, "%21s", "simulated_db") : "");
        boolean anyDiverged = false;
        for (int i = 0; i < points.size(); i++) {
            final Point p = points.get(i);
            final TheoryReport r = reports.get(i);
            anyDiverged |= r.divergedRound() > 0 || (simulate && simulated[i].divergedRound() > 0);
            console.printf(Locale.ROOT, "%8d  %12s  %14s  %21s  %21s%s%n", p.selected(), SeriesSpec.format(p.uplink()),
                    SeriesSpec.format(p.downlink()), exactText(r), paperText(r),
                    simulate ? "  " + String.format(Locale.ROOT, "%21s", simulatedText(simulated[i])) : "");
        }
        if (anyDiverged) {
            console.println("diverges: the NMSE rises more than 60 dB above the larger of its round-1 value and 0 dB "
                    + "(or leaves the finite numbers) at that round; there is no steady state.");
        }
        if (target != null) {
            console.println();
            design(console, dir, problem, t, setting.solve(), setting.selected(), points);
        }
        console.println();
        console.println("wrote " + dir.resolve(TABLE) + ", " + CURVES + ", " + ResultFiles.COMMAND
                + (simulate ? ", " + PLOT : "") + (target != null ? ", " + DESIGN : ""));
        console.flush();
        return 0;
    }

    /** The default folder: results/<preset> for an unchanged preset, else named after what changed. */
    private Path defaultOutput(CommandLine cmd, Setting setting, String explicit) {
        final TheoryCommand baseline = new TheoryCommand();
        baseline.spec = spec;
        baseline.preset = setting.preset() != null ? setting.preset().id : null;
        final String base = setting.preset() != null ? setting.preset().id : "theory";
        return OutputFolder.defaultFor(base, explicit, baseline.resolve(cmd).explicitArguments(baseline), "");
    }

    /** Validates every flag and lays out the points; a usage error names what is wrong. */
    private Setting resolve(CommandLine cmd) {
        if (algorithm != null) {
            final FederatedAlgorithm named;
            try {
                named = FederatedAlgorithm.byId(algorithm);
            } catch (IllegalArgumentException e) {
                throw ExperimentOptions.usage(cmd, "--algorithm " + algorithm + ": unknown algorithm; expected one of "
                        + FederatedAlgorithm.ids());
            }
            try {
                RerceTheory.requireExactTheory(named);
            } catch (IllegalArgumentException e) {
                throw ExperimentOptions.usage(cmd, "--algorithm " + algorithm + ": " + e.getMessage());
            }
        }
        TheoryPreset chosen = null;
        if (preset != null) {
            for (TheoryPreset p : TheoryPreset.values()) {
                if (p.id.equals(preset.trim().toLowerCase(Locale.ROOT))) {
                    chosen = p;
                }
            }
            if (chosen == null) {
                throw ExperimentOptions.usage(cmd, "--preset " + preset
                        + ": unknown preset; expected paper-fig8, paper-fig9 or paper-fig10");
            }
        }
        // The theory's own setting (SPEC 7.3) by default: K = L = 6, d_k ~ U{2..5}.
        final int k = clients != null ? clients : SMALL_SCALE;
        final int l = dimension != null ? dimension : SMALL_SCALE;
        if (k < 1) {
            throw ExperimentOptions.usage(cmd, "--clients " + k + ": at least 1 client");
        }
        if (l < 2) {
            throw ExperimentOptions.usage(cmd, "--dim " + l + ": L must be at least 2");
        }
        final double penalty = rho != null ? rho : 1.0;
        if (!(penalty > 0) || Double.isInfinite(penalty)) {
            throw ExperimentOptions.usage(cmd, "--rho " + penalty + ": rho must be a positive, finite number");
        }
        final SampleCounts counts = samples(cmd, chosen, k);
        final int t = rounds != null ? rounds : 400;
        if (t < 1) {
            throw ExperimentOptions.usage(cmd, "--rounds " + t + ": at least 1 round is needed");
        }
        final int m = trials != null ? trials : 2000;
        if (m < 1) {
            throw ExperimentOptions.usage(cmd, "--trials " + m + ": at least 1 trial is needed");
        }
        final long s = seed != null ? seed : 1L;
        if (selected != null) {
            ExperimentOptions.refuseRepeats(cmd, "--selected", selected.stream().map(String::valueOf).toList());
        }
        for (String flag : List.of("--link-noise", "--uplink-noise", "--downlink-noise")) {
            final List<Double> given = flag.equals("--link-noise") ? linkNoise
                    : flag.equals("--uplink-noise") ? uplinkNoise : downlinkNoise;
            if (given != null) {
                ExperimentOptions.refuseRepeats(cmd, flag, given.stream().map(v -> SeriesSpec.format(v + 0.0)).toList());
            }
        }

        List<Integer> cs = selected != null ? selected : chosen != null && chosen.selected != null ? chosen.selected
                : List.of(Math.min(3, k));
        final List<Double> link = linkNoise != null ? linkNoise
                : chosen != null && chosen.linkNoise != null ? chosen.linkNoise : List.of(DEFAULT_NOISE);
        List<Double> ups = uplinkNoise != null ? uplinkNoise : chosen != null ? chosen.uplink : null;
        List<Double> downs = downlinkNoise != null ? downlinkNoise : chosen != null ? chosen.downlink : null;
        String axis = null;
        if (sweep != null || chosen != null) {
            axis = (sweep != null ? sweep.get(0) : chosen.sweep).trim().toLowerCase(Locale.ROOT);
            if (!List.of("uplink", "downlink", "selected").contains(axis)) {
                throw ExperimentOptions.usage(cmd, "--sweep " + axis + ": expected uplink, downlink or selected");
            }
            final List<Double> values = sweepValues(cmd, sweep != null ? sweep.get(1) : chosen.range);
            switch (axis) {
                case "uplink" -> ups = values;
                case "downlink" -> downs = values;
                default -> {
                    for (double v : values) {
                        if (v != Math.rint(v)) {
                            throw ExperimentOptions.usage(cmd, "--sweep selected " + sweep.get(1) + ": C takes whole "
                                    + "numbers, and this range gives " + SeriesSpec.format(v) + "; choose STEPS so "
                                    + "that every point is whole (e.g. 2:6:5)");
                        }
                    }
                    cs = values.stream().map(v -> (int) Math.round(v)).toList();
                }
            }
        }
        for (int c : cs) {
            if (c < 1 || c > k) {
                throw ExperimentOptions.usage(cmd, "--selected " + c + ": C must lie in 1..K, and K = " + k);
            }
        }
        for (List<Double> list : java.util.Arrays.asList(link, ups, downs)) {
            for (double v : list == null ? List.<Double>of() : list) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw ExperimentOptions.usage(cmd, "noise variance " + v + ": must be a finite number >= 0");
                }
            }
        }
        // With --link-noise alone each value is one point, uplink = downlink; once a side is named (or
        // swept), the points are every (uplink, downlink) pair, a missing side taking --link-noise.
        final boolean paired = ups == null && downs == null;
        final List<Point> points = new ArrayList<>();
        for (int c : cs) {
            if (paired) {
                for (double v : link) {
                    points.add(new Point(c, v, v));
                }
            } else {
                for (double down : downs != null ? downs : link) {
                    for (double up : ups != null ? ups : link) {
                        points.add(new Point(c, up, down));
                    }
                }
            }
        }
        final String solve = solveFor == null ? "selected" : solveFor.trim().toLowerCase(Locale.ROOT);
        if (!solve.equals("selected") && !solve.equals("link-noise")) {
            throw ExperimentOptions.usage(cmd, "--solve-for " + solveFor + ": expected selected or link-noise");
        }
        if (solveFor != null && target == null) {
            throw ExperimentOptions.usage(cmd, "--solve-for needs --target DB");
        }
        if (target != null && !Double.isFinite(target)) {
            throw ExperimentOptions.usage(cmd, "--target " + target + ": expected a finite number of dB");
        }
        if (counts instanceof SampleCounts.UniformRange r && (long) r.min() * k < l) {
            throw ExperimentOptions.usage(cmd, "--samples " + counts.describe() + " with --clients " + k + " and --dim "
                    + l + ": too few samples in all to determine w*; raise --clients or --samples");
        }

        // The exact route holds (K+2)L x (K+2)L moments a few times over; the paper's route (2KL)^2 more.
        final double moments = (double) (k + 2) * l * (k + 2) * l * Double.BYTES * 4 + Math.pow(2.0 * k * l, 2) * 16;
        if (moments > 0.8 * Runtime.getRuntime().maxMemory()) {
            throw ExperimentOptions.usage(cmd, String.format(Locale.ROOT, "--clients %d with --dim %d: the second "
                    + "moments need about %.1f GiB of the JVM's %.1f GiB; the theory is for small federations (it "
                    + "takes about a minute at K = 100, L = 16): lower --clients or --dim", k, l, moments / (1 << 30),
                    Runtime.getRuntime().maxMemory() / (double) (1 << 30)));
        }
        final ChannelSpec both = theoryChannel(cmd, "--channel", channel, ChannelSpec.AWGN);
        final ChannelSpec up = theoryChannel(cmd, "--uplink-channel", uplinkChannel, both);
        final ChannelSpec down = theoryChannel(cmd, "--downlink-channel", downlinkChannel, both);
        final LinkBudget budget;
        try {
            budget = LinkBudget.parse(linkBudget != null ? linkBudget : "uniform", k);
        } catch (IllegalArgumentException e) {
            throw ExperimentOptions.usage(cmd, "--link-budget " + linkBudget + ": " + e.getMessage());
        }
        final MissingUploads rule;
        try {
            rule = MissingUploads.byId(missing != null ? missing : "received");
        } catch (IllegalArgumentException e) {
            throw ExperimentOptions.usage(cmd, "--missing " + missing + ": " + e.getMessage());
        }
        if (budget instanceof LinkBudget.FromFile && (linkNoise != null || uplinkNoise != null || downlinkNoise != null
                || sweep != null && !axis.equals("selected"))) {
            throw ExperimentOptions.usage(cmd, "--link-budget FILE.csv gives every client's variances itself: leave out "
                    + "the noise flags and noise sweeps");
        }
        try {
            TheoryLinks.of(up, down, budget, rule, s, k, 0.0, 0.0);             // exact? refused before any work
        } catch (IllegalArgumentException e) {
            throw ExperimentOptions.usage(cmd, (channel != null ? "--channel " + channel
                    : "--uplink-channel/--downlink-channel") + ": " + e.getMessage());
        }
        return new Setting(chosen, axis, k, l, penalty, counts, t, m, s, cs, link, ups, downs, points, solve, up, down,
                budget, rule);
    }

    /** A channel for the theory, parsed; a usage error with the grammar when it is not one. */
    private static ChannelSpec theoryChannel(CommandLine cmd, String flag, String spec, ChannelSpec fallback) {
        if (spec == null) {
            return fallback;
        }
        try {
            return ChannelSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw ExperimentOptions.usage(cmd, flag + " " + spec + ": " + e.getMessage());
        }
    }

    private static final double DEFAULT_NOISE = 6.25e-4;
    private static final int SMALL_SCALE = 6;

    private static String exactText(TheoryReport report) {
        return report.divergedRound() > 0 ? "diverges (round " + report.divergedRound() + ")"
                : String.format(Locale.ROOT, "%.3f", report.steadyStateDb());
    }

    private static String paperText(TheoryReport report) {
        if (report.paper().notApplicable()) {
            return "n/a (lossy links)";
        }
        final double db = report.paperApproximationDb();
        if (Double.isFinite(db) && report.paperDivergedRound() == 0) {
            return String.format(Locale.ROOT, "%.3f", db);
        }
        return report.paperDivergedRound() > 0 ? "diverges (round " + report.paperDivergedRound() + ")" : "diverges";
    }

    private static String simulatedText(SeriesResult r) {
        return r.divergedRound() > 0 ? "diverged (round " + r.divergedRound() + ")"
                : String.format(Locale.ROOT, "%.3f", r.steadyStateDb());
    }

    private SampleCounts samples(CommandLine cmd, TheoryPreset chosen, int k) {
        if (samples == null) {
            return k == SMALL_SCALE ? SampleCounts.uniform(2, 5) : SampleCounts.defaultFor(k);
        }
        return ExperimentOptions.parseSamples(cmd, samples, k, "--clients");
    }

    private static List<Double> sweepValues(CommandLine cmd, String range) {
        final Matcher match = SWEEP.matcher(range.trim());
        if (!match.matches()) {
            throw ExperimentOptions.usage(cmd, "--sweep ... " + range + ": expected FROM:TO:STEPS, e.g. 0:0.01:11");
        }
        final java.math.BigDecimal from;
        final java.math.BigDecimal to;
        final int steps;
        try {
            from = new java.math.BigDecimal(match.group(1).trim());
            to = new java.math.BigDecimal(match.group(2).trim());
            steps = Integer.parseInt(match.group(3).trim());
        } catch (NumberFormatException e) {
            throw ExperimentOptions.usage(cmd, "--sweep ... " + range + ": FROM and TO must be numbers, STEPS a whole number");
        }
        if (steps < 1 || steps > 10_000) {
            throw ExperimentOptions.usage(cmd, "--sweep ... " + range + ": STEPS must lie in 1..10000");
        }
        if (steps > 1 && from.compareTo(to) == 0) {
            throw ExperimentOptions.usage(cmd, "--sweep ... " + range + ": FROM and TO are equal, so every point "
                    + "would repeat the first; give STEPS 1 or two different ends");
        }
        // In decimal, as typed: 0:0.01:5 gives 0.0025, not the binary 0.0025000000000000005.
        final List<Double> values = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            values.add(steps == 1 ? from.doubleValue() : from.add(to.subtract(from).multiply(java.math.BigDecimal.valueOf(i))
                    .divide(java.math.BigDecimal.valueOf(steps - 1), java.math.MathContext.DECIMAL64)).doubleValue());
        }
        return values;
    }

    /**
     * theory.csv: one row per point; a diverging exact prediction has steady_state_db = Infinity and
     * its round in diverged_round (appended, as is paper_diverged_round; with --simulate, simulated_db
     * and then simulated_diverged_round too).
     */
    private void writeTable(Path dir, List<Point> points, List<TheoryReport> reports, SeriesResult[] simulated)
            throws IOException {
        final String header = TABLE_HEADER + (simulated != null ? ",simulated_db" : "") + ",diverged_round,paper_diverged_round"
                + (simulated != null ? ",simulated_diverged_round" : "");
        try (org.apache.commons.csv.CSVPrinter w = ResultFiles.printer(dir.resolve(TABLE), header)) {
            for (int i = 0; i < points.size(); i++) {
                final Point p = points.get(i);
                final TheoryReport r = reports.get(i);
                final List<Object> row = new ArrayList<>(List.of(p.selected(), SeriesSpec.format(p.uplink()),
                        SeriesSpec.format(p.downlink()),
                        r.divergedRound() > 0 ? Double.POSITIVE_INFINITY : r.steadyStateDb(),
                        r.paperDivergedRound() > 0 ? Double.POSITIVE_INFINITY : r.paperApproximationDb()));
                if (simulated != null) {
                    row.add(simulated[i].divergedRound() > 0 ? Double.POSITIVE_INFINITY : simulated[i].steadyStateDb());
                }
                row.add(r.divergedRound() > 0 ? r.divergedRound() : "");
                row.add(r.paperDivergedRound() > 0 ? r.paperDivergedRound() : "");
                if (simulated != null) {
                    row.add(simulated[i].divergedRound() > 0 ? simulated[i].divergedRound() : "");
                }
                w.printRecord(row);
            }
        }
    }

    private static void writeCurves(Path dir, List<Point> points, List<TheoryReport> reports) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(CURVES), StandardCharsets.UTF_8)) {
            w.write(CURVES_HEADER);
            w.newLine();
            for (int i = 0; i < points.size(); i++) {
                final Point p = points.get(i);
                final double[] db = reports.get(i).exact().nmseDb();
                for (int n = 0; n < db.length; n++) {
                    w.write(p.selected() + "," + SeriesSpec.format(p.uplink()) + "," + SeriesSpec.format(p.downlink())
                            + "," + (n + 1) + "," + db[n]);
                    w.newLine();
                }
            }
        }
    }

    private void design(PrintWriter console, Path dir, FederatedProblem problem, int t, String solve, List<Integer> cs,
                        List<Point> points) throws IOException {
        final RerceDesign design = new RerceDesign(problem, t);
        final int k = problem.clientCount();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(DESIGN), StandardCharsets.UTF_8)) {
            if (solve.equals("selected")) {
                w.write("target_db,uplink_noise,downlink_noise,smallest_selected,predicted_db,one_fewer_db");
                w.newLine();
                final LinkedHashSet<List<Double>> links = new LinkedHashSet<>();
                points.forEach(p -> links.add(List.of(p.uplink(), p.downlink())));
                for (List<Double> link : links) {
                    final LinkVariances v = LinkVariances.uniform(k, link.get(0), link.get(1));
                    final OptionalInt c = design.smallestSelection(target, v);
                    if (c.isEmpty()) {
                        console.printf(Locale.ROOT, "target %.2f dB at uplink %s, downlink %s: not reached even with C = K "
                                + "= %d (predicted %.2f dB)%n", target, SeriesSpec.format(link.get(0)),
                                SeriesSpec.format(link.get(1)), k, design.steadyStateDb(k, v));
                        w.write(target + "," + SeriesSpec.format(link.get(0)) + "," + SeriesSpec.format(link.get(1)) + ",,,");
                    } else {
                        final double at = design.steadyStateDb(c.getAsInt(), v);
                        final double fewer = c.getAsInt() > 1 ? design.steadyStateDb(c.getAsInt() - 1, v) : Double.NaN;
                        final String fewerText = c.getAsInt() == 1 ? "" : Double.isInfinite(fewer)
                                ? String.format(Locale.ROOT, "; C = %d diverges", c.getAsInt() - 1)
                                : String.format(Locale.ROOT, "; C = %d gives %.2f dB", c.getAsInt() - 1, fewer);
                        console.printf(Locale.ROOT, "target %.2f dB at uplink %s, downlink %s: smallest C = %d (predicted "
                                + "%.2f dB%s)%n", target, SeriesSpec.format(link.get(0)),
                                SeriesSpec.format(link.get(1)), c.getAsInt(), at, fewerText);
                        w.write(target + "," + SeriesSpec.format(link.get(0)) + "," + SeriesSpec.format(link.get(1)) + ","
                                + c.getAsInt() + "," + at + "," + fewer);
                    }
                    w.newLine();
                }
            } else {
                w.write("target_db,selected,largest_link_noise,predicted_db");
                w.newLine();
                for (int c : new LinkedHashSet<>(cs)) {
                    final OptionalDouble v = design.largestLinkVariance(c, target);
                    if (v.isEmpty()) {
                        console.printf(Locale.ROOT, "target %.2f dB with C = %d: not reached even on noiseless links%n",
                                target, c);
                        w.write(target + "," + c + ",,");
                    } else {
                        final double at = design.steadyStateDb(c, LinkVariances.uniform(k, v.getAsDouble(), v.getAsDouble()));
                        console.printf(Locale.ROOT, "target %.2f dB with C = %d: largest uplink = downlink variance %.4g "
                                + "(predicted %.2f dB)%n", target, c, v.getAsDouble(), at);
                        w.write(target + "," + c + "," + v.getAsDouble() + "," + at);
                    }
                    w.newLine();
                }
            }
        }
    }
}
