package io.fedlink.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.ReferenceEngine;
import io.fedlink.core.engine.SeriesResult;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import io.fedlink.protocol.ServerMessage.LocalModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A whole trial with a hostile peer beside it: as soon as the server side exists, the peer closes
 * every round early through the scheduler's own reference and floods the server with uploads in every
 * client's name (wrong poll ids, NaN and infinite vectors). The trials must complete, and with the
 * curves the reference engine computes without any peer, bit for bit: nothing the peer sent counted.
 */
class HostilePeerTest {

    static java.util.List<FederatedAlgorithm> rerceAlgorithms() {
        return java.util.List.of(FederatedAlgorithm.RERCE, FederatedAlgorithm.RERCE_CONTINUAL);
    }

    @ParameterizedTest
    @MethodSource("rerceAlgorithms")
    void forgedClosuresAndUploadsChangeNothingAndTheTrialCompletes(FederatedAlgorithm algorithm) {
        final int clients = 6;
        final int rounds = 30;
        final Experiment experiment = new Experiment(clients, 4, 1.0, SampleCounts.uniform(2, 5), rounds, 3, 17L,
                SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(algorithm, 3, 1e-3, 1e-3)));
        final FederatedProblem problem = experiment.generateProblem();
        final TrialLauncher withPeer = (e, p, s, t, outlet, replyTo) -> TrialActor.create(new ServerSide.Setup(e, p, s,
                t, new FederationMode.Lockstep(), Duration.ofSeconds(30), outlet, null), replyTo,
                s.algorithm()::newClient, side -> {
                    for (int n = 0; n <= rounds; n++) {
                        side.scheduler().tell(new RoundClosed(n, 3, 3, new int[0]));
                        for (int k = 0; k < clients; k++) {
                            side.server().tell(new LocalModel(n, k, n * 31L + k, new double[] {1e6, 1e6, 1e6, 1e6}));
                            side.server().tell(new LocalModel(n, k, 0L, new double[] {Double.NaN, 0, 0, 0}));
                            side.server().tell(new LocalModel(n, k, -1L,
                                    new double[] {0, Double.POSITIVE_INFINITY, 0, 0}));
                        }
                    }
                });
        final List<SeriesResult> attacked = assertTimeoutPreemptively(Duration.ofMinutes(1), () ->
                new ActorEngine(3, new FederationMode.Lockstep(), withPeer, null)
                        .run(experiment, problem, ProgressListener.NONE));
        final List<SeriesResult> reference = new ReferenceEngine(1).run(experiment, problem, ProgressListener.NONE);
        assertArrayEquals(reference.get(0).nmse(), attacked.get(0).nmse(), 0.0);
    }
}
