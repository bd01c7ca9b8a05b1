package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How presets, flags and defaults combine into an experiment (SPEC section 6 settings). */
class ExperimentOptionsTest {

    private static ExperimentOptions.Resolved resolve(String... args) {
        final CommandLine cmd = Fedlink.commandLine();
        final CommandLine.ParseResult parsed = cmd.parseArgs(args);
        final CommandLine sub = parsed.subcommand().commandSpec().commandLine();
        final SimulateCommand simulate = sub.getCommand();
        return simulate.options.resolve(sub);
    }

    @Test
    void noArgumentsRunsPaperFigure4() {
        final ExperimentOptions.Resolved r = resolve("simulate");
        assertEquals(Preset.PAPER_FIG4, r.preset());
        final Experiment e = r.experiment();
        assertEquals(100, e.clients());
        assertEquals(128, e.dimension());
        assertEquals(1.0, e.rho());
        assertEquals(500, e.rounds());
        assertEquals(100, e.trials());
        assertEquals(SampleCounts.paper(), e.samples());
        assertEquals(List.of(
                new SeriesSpec(FederatedAlgorithm.RERCE, 4, 6.25e-4, 6.25e-4),
                new SeriesSpec(FederatedAlgorithm.RERCE, 4, 1e-2, 1e-2),
                new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, 4, 6.25e-4, 6.25e-4),
                new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, 4, 1e-2, 1e-2)), e.series());
    }

    @Test
    void presetsMatchThePapersSettings() {
        final Experiment fig1 = resolve("simulate", "--preset", "paper-fig1").experiment();
        assertEquals(100, fig1.rounds());
        assertEquals(List.of(new SeriesSpec(FederatedAlgorithm.ADMM, 100, 6.25e-4, 6.25e-4),
                new SeriesSpec(FederatedAlgorithm.DUAL_FREE, 100, 6.25e-4, 6.25e-4)), fig1.series());
        final Experiment fig3 = resolve("simulate", "--preset", "paper-fig3").experiment();
        assertEquals(250, fig3.rounds());
        assertEquals(List.of(4, 10, 25), fig3.series().stream().map(SeriesSpec::selected).toList());
        assertEquals(10, resolve("simulate", "--preset", "paper-fig5").experiment().series().get(0).selected());
        assertEquals(25, resolve("simulate", "--preset", "paper-fig6").experiment().series().get(0).selected());
    }

    @Test
    void flagsOverrideThePreset() {
        final Experiment e = resolve("simulate", "--preset", "paper-fig4", "--rounds", "50", "--link-noise", "0",
                "--trials", "3").experiment();
        assertEquals(50, e.rounds());
        assertEquals(3, e.trials());
        assertEquals(2, e.series().size());
        assertEquals(0.0, e.series().get(0).uplinkVariance());
    }

    @Test
    void nonSeriesFlagsKeepTheDefaultPreset() {
        final ExperimentOptions.Resolved r = resolve("simulate", "--trials", "5", "--seed", "9");
        assertEquals(Preset.PAPER_FIG4, r.preset());
        assertEquals(5, r.experiment().trials());
        assertEquals(9L, r.experiment().seed());
    }

    @Test
    void seriesFlagsWithoutPresetMakeACustomExperiment() {
        final ExperimentOptions.Resolved r = resolve("simulate", "--algorithm", "admm", "--clients", "20");
        assertNull(r.preset());
        assertEquals(SampleCounts.uniform(50, 90), r.experiment().samples(), "U{50..90} when K != 100");
        assertEquals(List.of(new SeriesSpec(FederatedAlgorithm.ADMM, 10, 6.25e-4, 6.25e-4)), r.experiment().series());
    }

    @Test
    void uplinkAndDownlinkListsMakeEveryPair() {
        final List<SeriesSpec> series = resolve("simulate", "--algorithm", "rerce", "--selected", "4",
                "--uplink-noise", "0,1e-2", "--downlink-noise", "0").experiment().series();
        assertEquals(List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 4, 0.0, 0.0),
                new SeriesSpec(FederatedAlgorithm.RERCE, 4, 1e-2, 0.0)), series);
    }

    @Test
    void oneSidedNoiseFlagTakesTheOtherSideFromLinkNoise() {
        final List<SeriesSpec> series = resolve("simulate", "--preset", "paper-fig4", "--algorithm", "rerce",
                "--uplink-noise", "0").experiment().series();
        assertEquals(List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 4, 0.0, 6.25e-4),
                new SeriesSpec(FederatedAlgorithm.RERCE, 4, 0.0, 1e-2)), series);
    }
}
