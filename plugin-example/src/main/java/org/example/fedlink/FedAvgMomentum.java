package org.example.fedlink;

import io.fedlink.core.algorithm.AlgorithmOption;
import io.fedlink.core.algorithm.AlgorithmSettings;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.core.algorithm.ServerSetup;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.Eigenbasis;
import java.util.Arrays;
import java.util.List;

/**
 * `fedavgm`: FedAvg with server momentum (Hsu, Qi and Brown 2019), written as a third party would
 * write a Fedlink plug-in: one class, registered in META-INF/services, built against fedlink-core.
 *
 * <p>Client k, polled with the global model x~: E gradient steps on its loss J_k(w) =
 * (y - Xw)^T W (y - Xw), w <- w - eta_k (H_k w - g_k), eta_k = 1 / lambda_max(H_k); it uploads w.
 * Server: d = (mean of the uploads) - x, v <- beta v + d, x <- x + v; it broadcasts x.
 */
public record FedAvgMomentum() implements FederatedAlgorithm {

    @Override
    public String id() {
        return "fedavgm";
    }

    @Override
    public String description() {
        return "FedAvg with server momentum (Hsu et al. 2019): a plug-in example";
    }

    @Override
    public List<AlgorithmOption> options() {
        return List.of(
                AlgorithmOption.real("momentum", "BETA", 0.5, 0.0, true, 1.0, false,
                        "fedavgm: the server's momentum beta"),
                AlgorithmOption.integer("local-steps", "E", 5, 1, 10_000, "local gradient steps per poll"));
    }

    @Override
    public ClientRule newClient(ClientConstants constants, AlgorithmSettings settings) {
        return new Client(constants, settings.integer("local-steps"));
    }

    @Override
    public ServerRule newServer(ServerSetup setup) {
        return new Server(setup.dimension(), setup.settings().real("momentum"));
    }

    /** E gradient steps from the received model, in the eigenbasis of the client's Hessian. */
    static final class Client implements ClientRule {
        private final ClientConstants constants;
        private final Eigenbasis basis;          // H_k = U diag(h) U^T
        private final double[] h;
        private final double[] g;                // U^T g_k
        private final int steps;
        private final double eta;
        private final double[] z;
        private final double[] z0;
        private final double[] model;

        Client(ClientConstants constants, int steps) {
            this.constants = constants;
            this.basis = constants.dataEigenbasis();
            this.h = constants.curvatures();
            this.g = constants.gradientOffsetCoordinates();
            this.steps = steps;
            this.eta = constants.largestCurvature() > 0 ? 1.0 / constants.largestCurvature() : 0.0;
            this.z = new double[h.length];
            this.z0 = new double[h.length];
            this.model = constants.localSolution().clone();          // w_k starts at wh_k
        }

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
            basis.toBasis(received, z0);                              // the gradient lives in span(U)
            System.arraycopy(z0, 0, z, 0, z.length);
            for (int e = 0; e < steps; e++) {
                for (int i = 0; i < z.length; i++) {
                    z[i] -= eta * (h[i] * z[i] - g[i]);
                }
            }
            for (int i = 0; i < z.length; i++) {
                z[i] -= z0[i];
            }
            basis.fromBasis(z, upload);
            for (int i = 0; i < upload.length; i++) {
                upload[i] += received[i];                             // x~ + U (z_E - z_0)
            }
            System.arraycopy(upload, 0, model, 0, model.length);
        }

        @Override
        public void onIdleRound() {
        }

        @Override
        public double[] model() {
            return model;
        }
    }

    /** Averages the uploads and moves the model with momentum; the velocity is checkpointed. */
    static final class Server implements ServerRule {
        private final double beta;
        private final double[] sum;
        private final double[] model;
        private final double[] velocity;
        private int received;
        private boolean started;

        Server(int dimension, double beta) {
            this.beta = beta;
            this.sum = new double[dimension];
            this.model = new double[dimension];
            this.velocity = new double[dimension];
        }

        @Override
        public void beginRound(int polled) {
            Arrays.fill(sum, 0.0);
            received = 0;
        }

        @Override
        public void receive(int clientId, double[] upload) {
            if (upload.length != sum.length) {
                throw new IllegalArgumentException("upload of length " + upload.length + ", expected " + sum.length);
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += upload[i];
            }
            received++;
        }

        @Override
        public void closeRound() {
            if (received == 0) {
                return;
            }
            for (int i = 0; i < model.length; i++) {
                final double mean = sum[i] / received;
                if (!started) {
                    model[i] = mean;                                  // round 0: the mean of the wh_k
                    continue;
                }
                velocity[i] = beta * velocity[i] + (mean - model[i]);
                model[i] += velocity[i];
            }
            started = true;
        }

        @Override
        public double[] broadcast() {
            return model;
        }

        @Override
        public double[] globalModel() {
            return model;
        }

        /** The velocity: server state that the model and the broadcast do not show. */
        @Override
        public double[] checkpointState() {
            return velocity.clone();
        }
    }
}
