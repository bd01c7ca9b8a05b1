package io.fedlink.cli;

import io.fedlink.core.algorithm.AlgorithmSettings;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.data.DataFileException;
import io.fedlink.core.data.Partition;
import io.fedlink.core.data.RegressionTable;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The experiment flags shared by the commands that describe a federation. Every flag maps onto one
 * experiment parameter; a flag left out takes the preset's value, then the built-in default.
 * {@link #resolve} validates everything before any work starts.
 */
public abstract class ExperimentOptions {

    static final String DEFAULT_ALGORITHM = "rerce";
    static final int DEFAULT_SELECTED = 10;
    static final double DEFAULT_LINK_NOISE = 6.25e-4;
    static final int DEFAULT_ROUNDS = 500;
    static final long DEFAULT_SEED = 1L;
    private static final Pattern RANGE = Pattern.compile("\\s*(-?\\d+)\\s*-\\s*(-?\\d+)\\s*");

    @Option(names = "--preset", paramLabel = "NAME",
            description = "One of the paper's experiments: ${COMPLETION-CANDIDATES}. Flags given with a preset "
                    + "override it. With no series flags (--algorithm, --selected, the noise flags) and no "
                    + "preset, paper-fig4 runs. simulate also takes paper-all: Figures 1 and 3-6 in one run, "
                    + "each in its own sub-folder, with one summary.csv.",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(names = "--algorithm", split = ",", paramLabel = "NAME",
            description = "Algorithm(s), comma separated: ${sys:fedlink.algorithms} (default: "
                    + DEFAULT_ALGORITHM + "). A jar on FEDLINK_CLASSPATH adds more; their own flags follow below.")
    List<String> algorithms;

    @Option(names = "--data", paramLabel = "FILE.csv",
            description = "Read the clients' data from a CSV regression table (header line, numeric cells) instead "
                    + "of generating it; needs --target. K is --clients, L the features (+1 with --intercept).")
    Path data;

    @Option(names = "--target", paramLabel = "COLUMN", description = "With --data: the column to predict.")
    String target;

    @Option(names = "--features", split = ",", paramLabel = "COLUMN",
            description = "With --data: the feature columns (default: every column but the target and the weight).")
    List<String> features;

    @Option(names = "--weight", paramLabel = "COLUMN",
            description = "With --data: a column of positive row weights (W_k = diag of them; default: 1).")
    String weight;

    @Option(names = "--intercept", description = "With --data: add a constant feature (the model's last coordinate).")
    boolean intercept;

    @Option(names = "--partition", paramLabel = "SPEC",
            description = "With --data: how the rows are shared among the K clients: iid, sorted:COLUMN or "
                    + "dirichlet:ALPHA (default: iid).")
    String partition;

    /** The algorithms' own flags as given, by name without dashes (filled by {@link AlgorithmFlags}). */
    final Map<String, String> algorithmOptions = new LinkedHashMap<>();


    @Option(names = "--dim", paramLabel = "L", description = "Model dimension L (default: 128).")
    Integer dimension;

    @Option(names = "--selected", split = ",", paramLabel = "C",
            description = "Clients polled per round, comma list allowed, 1..K (default: " + DEFAULT_SELECTED + ").")
    List<Integer> selected;

    @Option(names = "--rho", paramLabel = "RHO", description = "ADMM penalty rho > 0 (default: 1).")
    Double rho;

    @Option(names = "--samples", paramLabel = "MIN-MAX",
            description = "Range of the per-client sample count d_k, or 'paper' for the paper's counts "
                    + "(default: paper when K = 100, else 50-90).")
    String samples;

    @Option(names = "--link-noise", split = ",", paramLabel = "VAR",
            description = "Link noise variance, uplink = downlink; comma list allowed (default: "
                    + DEFAULT_LINK_NOISE + ").")
    List<Double> linkNoise;

    @Option(names = "--uplink-noise", split = ",", paramLabel = "VAR",
            description = "Uplink (client to server) noise variance; overrides --link-noise for the uplink. "
                    + "Comma list allowed: with --downlink-noise, every pair is a series.")
    List<Double> uplinkNoise;

    @Option(names = "--downlink-noise", split = ",", paramLabel = "VAR",
            description = "Downlink (server to client) noise variance; overrides --link-noise for the downlink.")
    List<Double> downlinkNoise;

    @Option(names = "--channel", split = ",", paramLabel = "SPEC",
            description = "Channel of both directions, comma list allowed (one series each): STAGE[+STAGE...] with "
                    + "STAGE awgn, erasure:P, quantize:B, rayleigh:T, e.g. erasure:0.1+awgn (default: awgn).")
    List<String> channel;

    @Option(names = "--uplink-channel", split = ",", paramLabel = "SPEC",
            description = "Uplink (client to server) channel; with --downlink-channel, every pair is a series.")
    List<String> uplinkChannel;

    @Option(names = "--downlink-channel", split = ",", paramLabel = "SPEC",
            description = "Downlink (server to client) channel.")
    List<String> downlinkChannel;

    @Option(names = "--link-budget", split = ",", paramLabel = "BUDGET",
            description = "Per-client variances: uniform, pathloss:EXPONENT (clients placed in a disc from the seed), "
                    + "or FILE.csv (client,uplink_noise,downlink_noise rows); comma list allowed (default: uniform).")
    List<String> linkBudget;

    @Option(names = "--missing", split = ",", paramLabel = "RULE",
            description = "What an averaging server divides by when polled clients were not heard: received (the mean "
                    + "of what arrived, default) or by-C (the paper's eq. 12); comma list allowed.")
    List<String> missing;

    @Option(names = "--scheduler", paramLabel = "NAME",
            description = "uniform (exactly C of K per round, the paper's) or bernoulli (each client with "
                    + "probability C/K) (default: uniform).")
    String scheduler;

    @Option(names = "--rounds", paramLabel = "T", description = "Rounds after start-up (default: the preset's, else "
            + DEFAULT_ROUNDS + ").")
    Integer rounds;

    @Option(names = "--trials", paramLabel = "M", description = "Monte Carlo trials (default: 100).")
    Integer trials;

    @Option(names = "--seed", paramLabel = "S", description = "Root seed of every random stream (default: "
            + DEFAULT_SEED + ").")
    Long seed;

    /** Lists the preset names for picocli's help. */
    static final class PresetNames extends ArrayList<String> {
        PresetNames() {
            for (Preset p : Preset.values()) {
                add(p.id());
            }
        }
    }

    /** K as given on the command line, or null. */
    abstract Integer clients();

    /** The flag that sets K. */
    abstract String clientsFlag();

    /** The experiment flags of `fedlink simulate`: K is --clients. */
    static final class Simulation extends ExperimentOptions {
        @Option(names = "--clients", paramLabel = "K", description = "Number of clients K (default: 100).", order = -1)
        Integer clients;

        @Override
        Integer clients() {
            return clients;
        }

        @Override
        String clientsFlag() {
            return "--clients";
        }
    }

    /** The experiment flags of `fedlink node`, where --clients names the node's own clients: K is --federation-size. */
    static final class Node extends ExperimentOptions {
        @Option(names = "--federation-size", paramLabel = "K", description = "Number of clients K in the whole "
                + "federation (default: 100).")
        Integer federationSize;

        @Override
        Integer clients() {
            return federationSize;
        }

        @Override
        String clientsFlag() {
            return "--federation-size";
        }
    }

    /** True when the user named the series (then no preset is implied). */
    boolean definesSeries() {
        return algorithms != null || selected != null || linkNoise != null || uplinkNoise != null || downlinkNoise != null
                || definesLinks();
    }

    /** True when a channel, link-budget or missing-upload flag was given. */
    boolean definesLinks() {
        return channel != null || uplinkChannel != null || downlinkChannel != null || linkBudget != null
                || missing != null;
    }

    /**
     * The preset in force: the one named, or paper-fig4 when neither a preset nor any series flag
     * was given; null for a fully custom experiment.
     */
    Preset presetInForce(CommandLine cmd) {
        if (preset != null && preset.trim().equalsIgnoreCase(Sweep.PAPER_ALL)) {
            throw usage(cmd, "--preset " + preset + ": paper-all runs Figures 1 and 3-6 one after another, which only "
                    + "`fedlink simulate` does; here give one of " + Preset.ids());
        }
        if (preset != null) {
            try {
                return Preset.byId(preset);
            } catch (IllegalArgumentException e) {
                throw usage(cmd, "--preset " + preset + ": unknown preset; expected one of " + Preset.ids()
                        + ("simulate".equals(cmd.getCommandName()) ? ", or " + Sweep.PAPER_ALL : ""));
            }
        }
        return definesSeries() ? null : Preset.DEFAULT;
    }

    /** Validates every flag and builds the experiment. Throws a picocli usage error naming the flag. */
    Resolved resolve(CommandLine cmd) {
        final Preset chosen = presetInForce(cmd);

        final Integer clients = clients();
        final int k = clients != null ? clients : Preset.CLIENTS;
        if (k < 1) {
            throw usage(cmd, clientsFlag() + " " + k + ": the federation needs at least 1 client");
        }
        final long s = seed != null ? seed : DEFAULT_SEED;
        final RegressionTable table = resolveTable(cmd, k, s);
        final int l = table != null ? table.dimension() : dimension != null ? dimension : Preset.DIMENSION;
        if (l < 2 && table == null) {
            throw usage(cmd, "--dim " + l + ": the model dimension L must be at least 2 (omega is centred)");
        }
        if (l < 1) {
            throw usage(cmd, "--data " + data + ": no feature");
        }
        final double penalty = rho != null ? rho : Preset.RHO;
        if (!(penalty > 0.0) || Double.isInfinite(penalty)) {
            throw usage(cmd, "--rho " + penalty + ": rho must be a positive, finite number");
        }

        final List<FederatedAlgorithm> algs = new ArrayList<>();
        if (algorithms != null) {
            for (String name : algorithms) {
                try {
                    algs.add(FederatedAlgorithm.byId(name));
                } catch (IllegalArgumentException e) {
                    throw usage(cmd, "--algorithm " + name + ": unknown algorithm; expected one of "
                            + FederatedAlgorithm.ids());
                }
            }
            refuseRepeats(cmd, "--algorithm", algs.stream().map(FederatedAlgorithm::id).toList());
        } else if (chosen != null) {
            try {
                algs.addAll(chosen.algorithms());
            } catch (IllegalArgumentException e) {
                throw usage(cmd, "--preset " + chosen.id() + ": " + e.getMessage());
            }
        } else {
            algs.add(FederatedAlgorithm.byId(DEFAULT_ALGORITHM));
        }
        final Map<FederatedAlgorithm, AlgorithmSettings> settings = resolveSettings(cmd, algs);

        final List<Integer> cs = selected != null ? selected
                : chosen != null && clients == null ? chosen.selected()
                : chosen != null ? scaleSelected(chosen.selected(), k)
                : List.of(Math.min(DEFAULT_SELECTED, k));
        for (int c : cs) {
            if (c < 1 || c > k) {
                throw usage(cmd, "--selected " + c + ": C must lie in 1..K, and K = " + k + " (" + clientsFlag() + ")");
            }
        }
        if (selected != null) {
            refuseRepeats(cmd, "--selected", selected.stream().map(String::valueOf).toList());
        }
        for (FederatedAlgorithm a : algs) {
            if (a.requiresFullParticipation()) {
                for (int c : cs) {
                    if (c != k) {
                        throw usage(cmd, "--algorithm " + a.id() + " with --selected " + c + ": " + a.id()
                                + " is defined for full participation only (C = K = " + k + "); "
                                + "use --algorithm rerce for partial participation");
                    }
                }
            }
        }

        final SampleCounts counts = table != null ? SampleCounts.defaultFor(k) : parseSamples(cmd, k);
        final int minSamples = counts instanceof SampleCounts.UniformRange r ? r.min() : 51;
        if (table == null && (long) minSamples * k < l) {
            throw usage(cmd, "--samples " + counts.describe() + " with " + clientsFlag() + " " + k + " and --dim " + l
                    + ": the federation could hold as few as " + ((long) minSamples * k)
                    + " samples, fewer than L = " + l + ", and then w* is not determined; raise " + clientsFlag() + " or --samples");
        }

        final List<Preset.SeriesLinks> links = resolveLinks(cmd, chosen, k);
        final boolean fromFile = links.stream().anyMatch(x -> x.budget() instanceof LinkBudget.FromFile);
        if (fromFile && (linkNoise != null || uplinkNoise != null || downlinkNoise != null)) {
            throw usage(cmd, "--link-budget FILE.csv gives every client's variances itself: leave out --link-noise, "
                    + "--uplink-noise and --downlink-noise");
        }
        final NoiseGrid noise = resolveNoise(cmd, chosen);

        final SchedulingPolicy policy;
        try {
            policy = scheduler != null ? SchedulingPolicy.byId(scheduler) : SchedulingPolicy.UNIFORM;
        } catch (IllegalArgumentException e) {
            throw usage(cmd, "--scheduler " + scheduler + ": unknown scheduler; expected uniform or bernoulli");
        }

        final int t = rounds != null ? rounds : chosen != null ? chosen.rounds() : DEFAULT_ROUNDS;
        if (t < 1) {
            throw usage(cmd, "--rounds " + t + ": at least 1 round is needed");
        }
        final int m = trials != null ? trials : Preset.TRIALS;
        if (m < 1) {
            throw usage(cmd, "--trials " + m + ": at least 1 trial is needed");
        }
        checkMemory(cmd, clientsFlag(), k, l);
        // Every trial's curve of every series is kept until the outputs are written (for the band and
        // --per-trial), and the running series also keeps its round times.
        final long seriesCount = (long) algs.size() * cs.size() * noise.pairs().size() * links.size();
        final double curveBytes = (seriesCount + 1.0) * m * t * Double.BYTES;
        if (curveBytes > 0.5 * Runtime.getRuntime().maxMemory()) {
            throw usage(cmd, String.format(Locale.ROOT, "--trials %d with --rounds %d: the curves alone need %.1f GiB "
                    + "of the JVM's %.1f GiB; lower --trials or --rounds", m, t, curveBytes / (1 << 30),
                    Runtime.getRuntime().maxMemory() / (double) (1 << 30)));
        }

        final List<SeriesSpec> series = new ArrayList<>();
        for (FederatedAlgorithm a : algs) {
            for (int c : cs) {
                for (double[] pair : noise.pairs()) {
                    for (Preset.SeriesLinks x : links) {
                        // A file's variances are absolute: the series shows their means.
                        final double[] shown = x.budget() instanceof LinkBudget.FromFile file ? file.means() : pair;
                        series.add(new SeriesSpec(a, c, shown[0], shown[1], x.uplink(), x.downlink(), x.budget(),
                                x.missing(), settings.get(a)));
                    }
                }
            }
        }
        final Experiment experiment;
        try {
            experiment = new Experiment(k, l, penalty, counts, t, m, s, policy, series, table);
        } catch (IllegalArgumentException e) {
            throw usage(cmd, e.getMessage());
        }
        return new Resolved(experiment, chosen, algs, cs, noise, links, definesLinks() || chosen == null
                || chosen.links().equals(List.of(Preset.SeriesLinks.PAPER)) ? linkArguments(links) : null,
                optionArguments(algs, settings));
    }

    /**
     * Each algorithm's settings: the flags given that it declares, its defaults for the rest. A flag
     * that no algorithm of the run declares is refused, naming those that do.
     */
    private Map<FederatedAlgorithm, AlgorithmSettings> resolveSettings(CommandLine cmd, List<FederatedAlgorithm> algs) {
        for (Map.Entry<String, String> given : algorithmOptions.entrySet()) {
            final boolean used = algs.stream().anyMatch(a -> a.options().stream()
                    .anyMatch(o -> o.name().equals(given.getKey())));
            if (!used) {
                throw usage(cmd, "--" + given.getKey() + " " + given.getValue() + ": no algorithm of this run takes it ("
                        + String.join(", ", AlgorithmFlags.ownersOf(given.getKey())) + " do"
                        + (AlgorithmFlags.ownersOf(given.getKey()).size() == 1 ? "es" : "")
                        + "); add one to --algorithm or leave --" + given.getKey() + " out");
            }
        }
        final Map<FederatedAlgorithm, AlgorithmSettings> out = new LinkedHashMap<>();
        for (FederatedAlgorithm a : algs) {
            final Map<String, String> own = new LinkedHashMap<>();
            a.options().forEach(o -> {
                if (algorithmOptions.containsKey(o.name())) {
                    own.put(o.name(), algorithmOptions.get(o.name()));
                }
            });
            try {
                out.put(a, AlgorithmSettings.of(a, own));
            } catch (IllegalArgumentException e) {
                throw usage(cmd, e.getMessage());
            }
        }
        return out;
    }

    /**
     * The algorithms' flags, every one explicit where the run's algorithms agree on its value (a flag
     * shared by algorithms whose defaults differ, and not given, is left to those defaults).
     */
    private static String optionArguments(List<FederatedAlgorithm> algs, Map<FederatedAlgorithm, AlgorithmSettings> settings) {
        final Map<String, Set<String>> values = new LinkedHashMap<>();
        for (FederatedAlgorithm a : algs) {
            settings.get(a).values().forEach((name, value) -> values.computeIfAbsent(name, n -> new LinkedHashSet<>())
                    .add(value));
        }
        final StringBuilder b = new StringBuilder();
        values.forEach((name, set) -> {
            if (set.size() == 1) {
                b.append(" --").append(name).append(' ').append(set.iterator().next());
            }
        });
        return b.toString();
    }

    /**
     * The data file of --data, opened and checked (null without --data); the other data flags need
     * it, and --dim and --samples are the file's. Every problem is a usage error naming the file,
     * line and column.
     */
    private RegressionTable resolveTable(CommandLine cmd, int k, long s) {
        if (data == null) {
            for (Object[] flag : new Object[][] {{"--target", target}, {"--features", features}, {"--weight", weight},
                {"--partition", partition}, {"--intercept", intercept ? "on" : null}}) {
                if (flag[1] != null) {
                    throw usage(cmd, flag[0] + " describes a data file: give --data FILE.csv too (or leave " + flag[0]
                            + " out)");
                }
            }
            return null;
        }
        if (dimension != null || samples != null) {
            throw usage(cmd, (dimension != null ? "--dim" : "--samples") + " with --data: the file gives L (its "
                    + "features, +1 with --intercept) and every client's samples (its rows); leave it out");
        }
        if (target == null) {
            throw usage(cmd, "--data " + data + " needs --target COLUMN, the column to predict");
        }
        final Partition split;
        try {
            split = Partition.parse(partition != null ? partition : "iid");
        } catch (IllegalArgumentException e) {
            throw usage(cmd, "--partition " + partition + ": " + e.getMessage());
        }
        try {
            return RegressionTable.open(CsvTable.open(data), target.trim(),
                    features == null ? null : features.stream().map(String::trim).toList(),
                    weight == null ? null : weight.trim(), intercept, split, k, s);
        } catch (DataFileException e) {
            throw usage(cmd, "--data " + e.getMessage());
        }
    }

    /**
     * The explicit arguments of what this run is measured against when naming its folder: the
     * preset in force alone, or with no preset the built-in defaults; either way with the run's
     * algorithms' options at their defaults, so that only options the user changed name the folder.
     */
    String baselineArguments(CommandLine cmd, Resolved run) {
        final Simulation base = new Simulation();
        final Preset chosen = run.preset();
        if (chosen != null) {
            base.preset = chosen.id();
        } else {
            base.algorithms = List.of(DEFAULT_ALGORITHM);
        }
        final StringBuilder defaults = new StringBuilder();
        for (FederatedAlgorithm a : run.algorithms()) {
            for (io.fedlink.core.algorithm.AlgorithmOption o : a.options()) {
                defaults.append("--").append(o.name()).append(' ').append(o.defaultValue()).append(' ');
            }
        }
        // The baseline's own arguments come last: where they name an option, they win.
        return defaults + base.resolve(cmd).reproducingArguments();
    }

    /** A preset's C values when K is overridden: kept if they fit, else capped at K (dual-free needs C = K). */
    private static List<Integer> scaleSelected(List<Integer> presetSelected, int k) {
        final Set<Integer> out = new LinkedHashSet<>();
        for (int c : presetSelected) {
            out.add(c == Preset.CLIENTS ? k : Math.min(c, k));
        }
        return List.copyOf(out);
    }

    private SampleCounts parseSamples(CommandLine cmd, int k) {
        return samples == null ? SampleCounts.defaultFor(k) : parseSamples(cmd, samples, k, clientsFlag());
    }

    /** Parses --samples: 'paper' (K must be 100) or MIN-MAX with 1 <= MIN <= MAX; a usage error otherwise. */
    static SampleCounts parseSamples(CommandLine cmd, String samples, int k, String clientsFlag) {
        if (samples.trim().toLowerCase(Locale.ROOT).equals("paper")) {
            if (k != SampleCounts.PAPER_CLIENTS) {
                throw usage(cmd, "--samples paper: the paper's counts describe exactly " + SampleCounts.PAPER_CLIENTS
                        + " clients, but " + clientsFlag + " is " + k + "; give a range MIN-MAX instead");
            }
            return SampleCounts.paper();
        }
        final Matcher match = RANGE.matcher(samples);
        if (!match.matches()) {
            throw usage(cmd, "--samples " + samples + ": expected a range MIN-MAX of whole numbers (e.g. 50-90) or 'paper'");
        }
        final int min;
        final int max;
        try {
            min = Integer.parseInt(match.group(1));
            max = Integer.parseInt(match.group(2));
        } catch (NumberFormatException e) {
            throw usage(cmd, "--samples " + samples + ": numbers out of range");
        }
        if (min < 1 || max < min) {
            throw usage(cmd, "--samples " + samples + ": the range must satisfy 1 <= MIN <= MAX");
        }
        return SampleCounts.uniform(min, max);
    }

    /**
     * The links of every series: the product of the channel (each pair of uplink and downlink specs,
     * as the noise flags pair their values), link-budget and missing-upload flags; without any of
     * them, the preset's (or the paper's). Bad specs are usage errors that give the grammar.
     */
    private List<Preset.SeriesLinks> resolveLinks(CommandLine cmd, Preset chosen, int k) {
        if (!definesLinks()) {
            return chosen != null ? chosen.links() : List.of(Preset.SeriesLinks.PAPER);
        }
        final List<ChannelSpec> both = channels(cmd, "--channel", channel != null ? channel : List.of("awgn"));
        final List<ChannelSpec[]> pairs = new ArrayList<>();
        if (uplinkChannel == null && downlinkChannel == null) {
            both.forEach(c -> pairs.add(new ChannelSpec[] {c, c}));
        } else {
            final List<ChannelSpec> ups = uplinkChannel != null ? channels(cmd, "--uplink-channel", uplinkChannel) : both;
            final List<ChannelSpec> downs = downlinkChannel != null
                    ? channels(cmd, "--downlink-channel", downlinkChannel) : both;
            for (ChannelSpec u : ups) {
                for (ChannelSpec d : downs) {
                    pairs.add(new ChannelSpec[] {u, d});
                }
            }
        }
        final List<LinkBudget> budgets = new ArrayList<>();
        for (String b : linkBudget != null ? linkBudget : List.of("uniform")) {
            try {
                budgets.add(LinkBudget.parse(b, k));
            } catch (IllegalArgumentException e) {
                throw usage(cmd, "--link-budget " + b + ": " + e.getMessage());
            }
        }
        refuseRepeats(cmd, "--link-budget", budgets.stream().map(LinkBudget::describe).toList());
        final List<MissingUploads> rules = new ArrayList<>();
        for (String r : missing != null ? missing : List.of("received")) {
            try {
                rules.add(MissingUploads.byId(r));
            } catch (IllegalArgumentException e) {
                throw usage(cmd, "--missing " + r + ": " + e.getMessage());
            }
        }
        refuseRepeats(cmd, "--missing", rules.stream().map(MissingUploads::id).toList());
        final List<Preset.SeriesLinks> out = new ArrayList<>();
        for (ChannelSpec[] pair : pairs) {
            for (LinkBudget budget : budgets) {
                for (MissingUploads rule : rules) {
                    out.add(new Preset.SeriesLinks(pair[0], pair[1], budget, rule));
                }
            }
        }
        return out;
    }

    private static List<ChannelSpec> channels(CommandLine cmd, String flag, List<String> specs) {
        final List<ChannelSpec> out = new ArrayList<>();
        for (String spec : specs) {
            try {
                out.add(ChannelSpec.parse(spec));
            } catch (IllegalArgumentException e) {
                throw usage(cmd, flag + " " + spec + ": " + e.getMessage());
            }
        }
        refuseRepeats(cmd, flag, out.stream().map(ChannelSpec::describe).toList());
        return out;
    }

    /** The link flags that give these links as a product, or null when they are not one (a preset's list). */
    private static String linkArguments(List<Preset.SeriesLinks> links) {
        final List<String> ups = new ArrayList<>();
        final List<String> downs = new ArrayList<>();
        final List<String> budgets = new ArrayList<>();
        final List<String> rules = new ArrayList<>();
        for (Preset.SeriesLinks x : links) {
            addOnce(ups, x.uplink().describe());
            addOnce(downs, x.downlink().describe());
            addOnce(budgets, x.budget().describe());
            addOnce(rules, x.missing().id());
        }
        final boolean symmetric = links.stream().allMatch(x -> x.uplink().equals(x.downlink()));
        final String channels = symmetric ? "--channel " + String.join(",", ups)
                : "--uplink-channel " + String.join(",", ups) + " --downlink-channel " + String.join(",", downs);
        return channels + " --link-budget " + String.join(",", budgets) + " --missing " + String.join(",", rules);
    }

    private static void addOnce(List<String> list, String value) {
        if (!list.contains(value)) {
            list.add(value);
        }
    }

    private NoiseGrid resolveNoise(CommandLine cmd, Preset chosen) {
        final List<Double> link = linkNoise != null ? linkNoise
                : chosen != null ? chosen.linkNoise() : List.of(DEFAULT_LINK_NOISE);
        checkVariances(cmd, "--link-noise", link);
        if (uplinkNoise != null) {
            checkVariances(cmd, "--uplink-noise", uplinkNoise);
        }
        if (downlinkNoise != null) {
            checkVariances(cmd, "--downlink-noise", downlinkNoise);
        }
        return NoiseGrid.of(link, uplinkNoise, downlinkNoise);
    }

    /**
     * Refuses a list flag that names a value twice. Each value makes a series (or a point), so a
     * repeat would run the same thing twice and write duplicate rows; it is almost always a typo.
     *
     * @param values the values in a canonical form (numbers as {@link SeriesSpec#format}, names as ids)
     */
    static void refuseRepeats(CommandLine cmd, String flag, List<String> values) {
        final Set<String> seen = new LinkedHashSet<>();
        for (String v : values) {
            if (!seen.add(v)) {
                throw usage(cmd, flag + " " + String.join(",", values) + ": " + v + " is given twice; each value "
                        + "makes its own series, so list it once");
            }
        }
    }

    private static void checkVariances(CommandLine cmd, String flag, List<Double> values) {
        for (double v : values) {
            if (!(v >= 0.0) || Double.isInfinite(v)) {
                throw usage(cmd, flag + " " + v + ": a noise variance must be a finite number >= 0");
            }
        }
        refuseRepeats(cmd, flag, values.stream().map(v -> SeriesSpec.format(v + 0.0)).toList());   // -0.0 is 0.0
    }

    /** Refuses, before any work, a federation whose per-client matrices cannot fit in the heap. */
    private static void checkMemory(CommandLine cmd, String flag, int k, int l) {
        // Every client keeps P_k's eigenvectors U (L x r, r = min(d_k, L) <= L); P_k itself and U^T are
        // built only where a rule uses them (ClientConstants, Eigenbasis), so L^2 doubles is the floor.
        final double needed = (double) k * l * l * Double.BYTES;
        final double available = Runtime.getRuntime().maxMemory();
        if (needed > 0.8 * available) {
            throw usage(cmd, String.format(Locale.ROOT,
                    "%s %d with --dim %d: the per-client matrices (P_k's eigenvectors) alone may need %.1f GiB, but the JVM may "
                            + "use %.1f GiB; lower %s or --dim, or raise the heap (FEDLINK_JAVA_OPTS=-Xmx...)",
                    flag, k, l, needed / (1 << 30), available / (1 << 30), flag));
        }
    }

    static CommandLine.ParameterException usage(CommandLine cmd, String message) {
        return new CommandLine.ParameterException(cmd, message);
    }

    /** What {@link #resolve} produced: the experiment, the preset in force, and the resolved series axes. */
    record Resolved(Experiment experiment, Preset preset, List<FederatedAlgorithm> algorithms,
                    List<Integer> selected, NoiseGrid noise, List<Preset.SeriesLinks> links, String linkArguments,
                    String optionArguments) {

        /** A command line that reproduces this experiment on its own, every parameter explicit. */
        String reproducingArguments() {
            final StringBuilder b = new StringBuilder();
            b.append("--algorithm ").append(String.join(",", algorithms.stream().map(FederatedAlgorithm::id).toList()));
            b.append(optionArguments);
            b.append(" --clients ").append(experiment.clients());
            if (experiment.table() != null) {
                b.append(' ').append(experiment.table().arguments());
            } else {
                b.append(" --dim ").append(experiment.dimension());
            }
            b.append(" --selected ").append(String.join(",", selected.stream().map(String::valueOf).toList()));
            b.append(" --rho ").append(experiment.rho());
            if (experiment.table() == null) {
                b.append(" --samples ").append(experiment.samples().describe());
            }
            b.append(' ').append(noise.arguments());
            b.append(" --scheduler ").append(experiment.scheduling().id());
            b.append(" --rounds ").append(experiment.rounds());
            b.append(" --trials ").append(experiment.trials());
            b.append(" --seed ").append(experiment.seed());
            // The links as flags; a preset whose links are a list rather than a product is named instead.
            b.append(' ').append(linkArguments != null ? linkArguments : "--preset " + preset.id());
            return b.toString();
        }
    }

    /**
     * The link-noise points of an experiment. With --link-noise alone each value is one point with
     * uplink = downlink; once --uplink-noise or --downlink-noise is given, the points are every
     * (uplink, downlink) pair, a missing side taking the --link-noise values.
     */
    record NoiseGrid(List<double[]> pairs, String arguments) {

        static NoiseGrid of(List<Double> link, List<Double> up, List<Double> down) {
            final List<double[]> pairs = new ArrayList<>();
            if (up == null && down == null) {
                for (double v : link) {
                    pairs.add(new double[] {v, v});
                }
                return new NoiseGrid(pairs, "--link-noise " + join(link));
            }
            final List<Double> ups = up != null ? up : link;
            final List<Double> downs = down != null ? down : link;
            for (double u : ups) {
                for (double d : downs) {
                    pairs.add(new double[] {u, d});
                }
            }
            return new NoiseGrid(pairs, "--uplink-noise " + join(ups) + " --downlink-noise " + join(downs));
        }

        private static String join(List<Double> values) {
            return String.join(",", values.stream().map(SeriesSpec::format).toList());
        }
    }
}
