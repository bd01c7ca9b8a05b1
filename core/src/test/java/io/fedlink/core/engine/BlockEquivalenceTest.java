package io.fedlink.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedlink.core.algorithm.AlgorithmSettings;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.MissingUploads;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.algorithm.ServerSetup;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.link.ChannelSpec;
import io.fedlink.core.link.LinkBudget;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Trials run in blocks give every trial the bits it has alone: for each of the paper's algorithms (whose
 * blocks batch their products) and for a plug-in that offers no block of its own (its rules side by side),
 * over the paper's channel and the lossy ones, with both rules for missing uploads, each trial's curve,
 * its final client and server models and its loss counts are compared exactly with
 * {@link ReferenceFederation} running that trial by itself. L = 12 exercises the vector kernels' full and
 * overlapping tiles; d_k < L the eigenbasis's identity part.
 */
class BlockEquivalenceTest {

    private static final long SEED = 404;
    private static final int K = 9;
    private static final int L = 12;
    private static final int C = 4;
    private static final int ROUNDS = 12;
    private static final int TRIALS = 5;
    private static final List<ChannelSpec> CHANNELS = List.of(ChannelSpec.AWGN, ChannelSpec.parse("erasure:0.3+awgn"),
            ChannelSpec.parse("quantize:4+awgn"), ChannelSpec.parse("rayleigh:0.3+awgn"));

    @Test
    void everyAlgorithmInBlocksMatchesEachTrialAloneOverEveryChannel() {
        final List<FederatedAlgorithm> algorithms = List.of(FederatedAlgorithm.ADMM, FederatedAlgorithm.DUAL_FREE,
                FederatedAlgorithm.RERCE, FederatedAlgorithm.RERCE_CONTINUAL, new DampedAverage());
        final List<SeriesSpec> series = new ArrayList<>();
        for (FederatedAlgorithm algorithm : algorithms) {
            final int selected = algorithm.requiresFullParticipation() ? K : C;
            for (ChannelSpec channel : CHANNELS) {
                for (MissingUploads missing : MissingUploads.values()) {
                    // Lossy uplinks, a different (lossy or not) downlink: both directions' streams move.
                    series.add(new SeriesSpec(algorithm, selected, 4e-3, 1e-3, channel,
                            channel.isAwgn() ? channel : ChannelSpec.parse("erasure:0.2+awgn"),
                            new LinkBudget.Uniform(), missing));
                }
            }
        }
        final Experiment experiment = new Experiment(K, L, 1.0, SampleCounts.uniform(3, 7), ROUNDS, TRIALS, SEED,
                SchedulingPolicy.UNIFORM, series);
        final FederatedProblem problem = experiment.generateProblem();
        for (SeriesSpec spec : series) {
            final ReferenceFederation[] alone = new ReferenceFederation[TRIALS];
            final double[][] curves = new double[TRIALS][ROUNDS];
            for (int t = 0; t < TRIALS; t++) {
                alone[t] = new ReferenceFederation(experiment, problem, spec, t);
                for (int n = 0; n < ROUNDS; n++) {
                    alone[t].runRound();
                    curves[t][n] = alone[t].nmse();
                }
            }
            for (int[] block : List.of(new int[] {0, 1, 2, 3, 4}, new int[] {1, 3}, new int[] {4})) {
                final BlockFederation together = new BlockFederation(experiment, problem, spec, block);
                for (int n = 0; n < ROUNDS; n++) {
                    together.runRound();
                    for (int s = 0; s < block.length; s++) {
                        assertBits(curves[block[s]][n], together.nmse(s), spec.label() + ", block of " + block.length
                                + ", trial " + block[s] + ", round " + (n + 1));
                    }
                }
                for (int s = 0; s < block.length; s++) {
                    final ReferenceFederation trial = alone[block[s]];
                    final String where = spec.label() + ", trial " + block[s];
                    assertEquals(trial.lostUplinks(), together.lostUplinks(s), where);
                    assertEquals(trial.lostDownlinks(), together.lostDownlinks(s), where);
                    assertEquals(trial.clientUpdates(), together.clientUpdates(s), where);
                    assertVectorBits(trial.globalModel(), together.globalModel(s), where + ", global model");
                    assertVectorBits(trial.broadcast(), together.broadcast(s), where + ", broadcast");
                    for (int k = 0; k < K; k++) {
                        assertVectorBits(trial.clientModel(k), together.clientModel(s, k), where + ", client " + k);
                    }
                }
            }
        }
    }

    @Test
    void theReferenceEngineGivesTheSameCurvesWhateverItsBlocksAndThreads() {
        final SeriesSpec spec = new SeriesSpec(FederatedAlgorithm.RERCE_CONTINUAL, C, 1e-2, 1e-2);
        final Experiment experiment = new Experiment(K, L, 1.0, SampleCounts.uniform(3, 7), ROUNDS, 7, SEED,
                SchedulingPolicy.UNIFORM, List.of(spec));
        final FederatedProblem problem = experiment.generateProblem();
        final double[] expected = new ReferenceEngine(1, 1).run(experiment, problem, ProgressListener.NONE).get(0).nmse();
        for (int[] setting : new int[][] {{2, 0}, {3, 2}, {1, 7}, {2, 3}}) {
            final double[] actual = new ReferenceEngine(setting[0], setting[1]).run(experiment, problem,
                    ProgressListener.NONE).get(0).nmse();
            for (int n = 0; n < ROUNDS; n++) {
                assertBits(expected[n], actual[n], setting[0] + " threads, blocks of " + setting[1] + ", round " + n);
            }
        }
        final TrialCurve[] byBlock = ReferenceEngine.runBlock(experiment, problem, spec, IntStream.range(0, 7).toArray());
        for (int t = 0; t < 7; t++) {
            final TrialCurve alone = ReferenceEngine.runTrial(experiment, problem, spec, t);
            for (int n = 0; n < ROUNDS; n++) {
                assertBits(alone.nmse()[n], byBlock[t].nmse()[n], "trial " + t + ", round " + n);
            }
        }
    }

    private static void assertBits(double expected, double actual, String where) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                where + ": " + actual + ", alone " + expected);
    }

    private static void assertVectorBits(double[] expected, double[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            assertBits(expected[i], actual[i], where + "[" + i + "]");
        }
    }

    /**
     * A plug-in as a third party writes one: ClientRules only, no block of its own, and clients that step
     * when not polled (so the default block's idle path runs). A polled client moves halfway to what it
     * received; an idle one shrinks towards its local solution. The server extrapolates as `rerce`'s does.
     */
    record DampedAverage() implements FederatedAlgorithm {

        @Override
        public String id() {
            return "damped-average";
        }

        @Override
        public boolean stepsWhenNotPolled() {
            return true;
        }

        @Override
        public ClientRule newClient(ClientConstants constants, AlgorithmSettings settings) {
            return new ClientRule() {
                private final double[] model = constants.localSolution().clone();

                @Override
                public int clientId() {
                    return constants.clientId();
                }

                @Override
                public void startUpload(double[] upload) {
                    System.arraycopy(model, 0, upload, 0, model.length);
                }

                @Override
                public void onPoll(double[] received, double[] upload) {
                    for (int i = 0; i < model.length; i++) {
                        model[i] = 0.5 * (model[i] + received[i]);
                    }
                    System.arraycopy(model, 0, upload, 0, model.length);
                }

                @Override
                public void onIdleRound() {
                    final double[] local = constants.localSolution();
                    for (int i = 0; i < model.length; i++) {
                        model[i] += 0.1 * (local[i] - model[i]);
                    }
                }

                @Override
                public double[] model() {
                    return model;
                }
            };
        }

        @Override
        public ServerRule newServer(ServerSetup setup) {
            return FederatedAlgorithm.RERCE.newServer(setup);
        }
    }
}
