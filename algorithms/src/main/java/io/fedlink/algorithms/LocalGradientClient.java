package io.fedlink.algorithms;

import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.Eigenbasis;

/**
 * A client of `fedavg` and `fedprox` (docs/algorithms.md, sections 1 and 2): from the received
 * global model w~ it takes E gradient steps on its loss J_k(w) = (y - X w)^T W (y - X w), plus the
 * proximal term (mu_k / 2) ||w - w~||^2 for FedProx (mu_k = 0 for FedAvg), and uploads the result.
 *
 * <pre>  w <- w - eta_k (H_k w - g_k + mu_k (w - w~)),   eta_k = step / (lambda_max(H_k) + mu_k)  </pre>
 *
 * <p>The steps are taken in the eigenbasis of H_k = U diag(h) U^T: the gradient has no component
 * outside the span of U, where the model stays at w~, so with z = U^T w a step is
 * z <- z - eta (h o z - U^T g + mu (z - U^T w~)), O(r) per step, and a poll costs one product each
 * way (z_0 = U^T w~, upload = w~ + U (z_E - z_0)). Unpolled clients keep their model.
 */
final class LocalGradientClient implements ClientRule {

    private final ClientConstants constants;
    private final Eigenbasis basis;
    private final int steps;
    private final double stepSize;
    private final double proximal;
    private final double[] curvatures;
    private final double[] offset;                 // U^T g_k
    private final double[] start;                  // z_0 = U^T w~
    private final double[] coordinates;            // z
    private final double[] model;                  // w_k

    /**
     * @param steps    E, local gradient steps per poll
     * @param stepSize eta_k (lambda_max(H_k) + mu_k), in (0, 2)
     * @param mu       mu_k / lambda_max(H_k): 0 for FedAvg
     */
    LocalGradientClient(ClientConstants constants, int steps, double stepSize, double mu) {
        this.constants = constants;
        this.basis = constants.dataEigenbasis();
        this.steps = steps;
        this.curvatures = constants.curvatures();
        final double largest = constants.largestCurvature();
        this.proximal = mu * largest;
        this.stepSize = largest + proximal > 0.0 ? stepSize / (largest + proximal) : 0.0;
        this.offset = constants.gradientOffsetCoordinates();
        this.start = new double[curvatures.length];
        this.coordinates = new double[curvatures.length];
        this.model = constants.localSolution().clone();                 // w_{k,0} = wh_k
    }

    @Override
    public int clientId() {
        return constants.clientId();
    }

    @Override
    public void startUpload(double[] upload) {
        System.arraycopy(model, 0, upload, 0, model.length);             // uploads wh_k
    }

    @Override
    public void onPoll(double[] received, double[] upload) {
        basis.toBasis(received, start);                                  // z_0 = U^T w~
        System.arraycopy(start, 0, coordinates, 0, start.length);
        for (int e = 0; e < steps; e++) {
            for (int i = 0; i < coordinates.length; i++) {
                final double z = coordinates[i];
                final double gradient = curvatures[i] * z - offset[i] + proximal * (z - start[i]);
                coordinates[i] = z - stepSize * gradient;                // w <- w - eta grad (FedAvg, FedProx)
            }
        }
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] -= start[i];
        }
        basis.fromBasis(coordinates, upload);
        for (int i = 0; i < upload.length; i++) {
            upload[i] += received[i];                                    // w~ + U (z_E - z_0)
        }
        System.arraycopy(upload, 0, model, 0, model.length);
    }

    @Override
    public void onIdleRound() {
        // Only polled clients train.
    }

    @Override
    public double[] model() {
        return model;
    }
}
