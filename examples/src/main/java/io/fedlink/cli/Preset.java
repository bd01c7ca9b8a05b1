package io.fedlink.cli;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The paper's large-scale experiments (SPEC section 6): K = 100, L = 128, rho = 1, the paper's
 * sample counts, uplink = downlink noise, 100 Monte Carlo trials. Flags given with a preset
 * override it.
 */
public enum Preset {
    /** Figure 1: ADMM against its dual-free form under full participation. */
    PAPER_FIG1("paper-fig1", List.of("admm", "dual-free"),
            List.of(100), List.of(6.25e-4), 100),
    /** Figure 3: RERCE-Fed with 4, 10 and 25 clients polled per round. */
    PAPER_FIG3("paper-fig3", List.of("rerce"), List.of(4, 10, 25), List.of(6.25e-4), 250),
    /** Figure 4: RERCE-Fed with and without continual updates, C = 4, both link variances. */
    PAPER_FIG4("paper-fig4", List.of("rerce", "rerce-continual"),
            List.of(4), List.of(6.25e-4, 1e-2), 500),
    /** Figure 5: as Figure 4 with C = 10. */
    PAPER_FIG5("paper-fig5", List.of("rerce", "rerce-continual"),
            List.of(10), List.of(6.25e-4, 1e-2), 500),
    /** Figure 6: as Figure 4 with C = 25. */
    PAPER_FIG6("paper-fig6", List.of("rerce", "rerce-continual"),
            List.of(25), List.of(6.25e-4, 1e-2), 500),
    /**
     * The channel study (README): at the paper's scale and the same mean link variance (6.25e-4),
     * RERCE-Fed with and without continual updates, C = 4 and 25, over each channel: awgn, erasure
     * (10% and 30%, both server rules), quantisation (4 and 8 bits), truncated Rayleigh fading, and a
     * path-loss budget.
     */
    CHANNELS("channels", List.of("rerce", "rerce-continual"), List.of(4, 25),
            List.of(6.25e-4), 500, List.of(
                    SeriesLinks.of("awgn", "uniform", "received"),
                    SeriesLinks.of("erasure:0.1+awgn", "uniform", "received"),
                    SeriesLinks.of("erasure:0.1+awgn", "uniform", "by-C"),
                    SeriesLinks.of("erasure:0.3+awgn", "uniform", "received"),
                    SeriesLinks.of("erasure:0.3+awgn", "uniform", "by-C"),
                    SeriesLinks.of("quantize:4+awgn", "uniform", "received"),
                    SeriesLinks.of("quantize:8+awgn", "uniform", "received"),
                    SeriesLinks.of("rayleigh:0.05+awgn", "uniform", "received"),
                    SeriesLinks.of("awgn", "pathloss:3", "received"))),
    /**
     * The baselines study (README): RERCE-Fed with and without continual updates against FedAvg, FedProx
     * and SCAFFOLD (plug-ins, their flags at their defaults) over the same noisy links, C = 4 and 25,
     * both of the paper's variances.
     */
    COMPARE_FEDAVG("compare-fedavg", List.of("rerce", "rerce-continual", "fedavg", "fedprox", "scaffold"),
            List.of(4, 25), List.of(6.25e-4, 1e-2), 500);

    /** The experiment `fedlink simulate` runs when given no arguments. */
    public static final Preset DEFAULT = PAPER_FIG4;

    static final int CLIENTS = 100;
    static final int DIMENSION = 128;
    static final double RHO = 1.0;
    static final int TRIALS = 100;

    private final String id;
    private final List<String> algorithms;
    private final List<Integer> selected;
    private final List<Double> linkNoise;
    private final int rounds;
    private final List<SeriesLinks> links;

    Preset(String id, List<String> algorithms, List<Integer> selected, List<Double> linkNoise, int rounds) {
        this(id, algorithms, selected, linkNoise, rounds, List.of(SeriesLinks.PAPER));
    }

    Preset(String id, List<String> algorithms, List<Integer> selected, List<Double> linkNoise, int rounds,
           List<SeriesLinks> links) {
        this.id = id;
        this.algorithms = algorithms;
        this.selected = selected;
        this.linkNoise = linkNoise;
        this.rounds = rounds;
        this.links = links;
    }

    /**
     * What a series' links are besides their variances: each direction's channel, the link budget and
     * the rule for missing uploads. The paper's: awgn, uniform, received.
     */
    record SeriesLinks(ChannelSpec uplink, ChannelSpec downlink, LinkBudget budget, MissingUploads missing) {

        static final SeriesLinks PAPER = of("awgn", "uniform", "received");

        static SeriesLinks of(String channel, String budget, String missing) {
            final ChannelSpec spec = ChannelSpec.parse(channel);
            return new SeriesLinks(spec, spec, LinkBudget.parse(budget, 1), MissingUploads.byId(missing));
        }
    }

    /** The links of each series, in order (the paper's presets: the paper's links only). */
    public List<SeriesLinks> links() {
        return links;
    }

    public String id() {
        return id;
    }

    /** The preset's algorithms, found by id (the baselines are plug-ins: their jar must be on the class path). */
    public List<FederatedAlgorithm> algorithms() {
        return algorithms.stream().map(FederatedAlgorithm::byId).toList();
    }

    public List<Integer> selected() {
        return selected;
    }

    /** Uplink = downlink variances, one series per value. */
    public List<Double> linkNoise() {
        return linkNoise;
    }

    public int rounds() {
        return rounds;
    }

    public static Preset byId(String id) {
        final String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown preset '" + id + "'; expected one of " + ids()));
    }

    public static String ids() {
        return Arrays.stream(values()).map(Preset::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
