package io.fedlink.algorithms;

import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.linalg.Eigenbasis;

/**
 * A client of `scaffold` (docs/algorithms.md, section 3). It receives (x~, c~), the noisy global model
 * and control variate, and with its own control variate c_k (0 at the start) takes E corrected steps
 *
 * <pre>  y <- y - eta_k (H_k y - g_k - c_k + c~),   y_0 = x~,   eta_k = step / lambda_max(H_k)  </pre>
 *
 * then sets c_k+ = c_k - c~ + (x~ - y_E) / (E eta_k) (the paper's option II), uploads
 * (y_E - x~, c_k+ - c_k) and keeps w_k = y_E, c_k = c_k+.
 *
 * <p>In the eigenbasis of H_k = U diag(h) U^T, with v = c~ - c_k, z = U^T y, v_z = U^T v: the span
 * of U takes z <- z - eta (h o z - U^T g + v_z), and the rest of y moves by -eta (v - U v_z) per
 * step. So y_E - x~ = U (z_E - z_0 + E eta v_z) - E eta v: three products per poll, O(E r) steps.
 */
final class ScaffoldClient implements ClientRule {

    private final ClientConstants constants;
    private final Eigenbasis basis;
    private final int steps;
    private final double stepSize;
    private final double[] curvatures;
    private final double[] offset;                 // U^T g_k
    private final double[] control;                // c_k
    private final double[] receivedModel;          // x~
    private final double[] correction;             // v = c~ - c_k
    private final double[] correctionCoordinates;  // U^T v
    private final double[] start;                  // z_0
    private final double[] coordinates;            // z
    private final double[] delta;                  // y_E - x~
    private final double[] model;                  // w_k = y_E

    ScaffoldClient(ClientConstants constants, int steps, double stepSize) {
        this.constants = constants;
        this.basis = constants.dataEigenbasis();
        this.steps = steps;
        this.curvatures = constants.curvatures();
        final double largest = constants.largestCurvature();
        this.stepSize = largest > 0.0 ? stepSize / largest : 0.0;
        this.offset = constants.gradientOffsetCoordinates();
        final int dimension = constants.dimension();
        this.control = new double[dimension];                                   // c_k = 0
        this.receivedModel = new double[dimension];
        this.correction = new double[dimension];
        this.correctionCoordinates = new double[curvatures.length];
        this.start = new double[curvatures.length];
        this.coordinates = new double[curvatures.length];
        this.delta = new double[dimension];
        this.model = constants.localSolution().clone();                         // w_{k,0} = wh_k
    }

    @Override
    public int clientId() {
        return constants.clientId();
    }

    /** (wh_k, 0): the server starts from x_{-1} = 0, c = 0, so its first round averages the wh_k. */
    @Override
    public void startUpload(double[] upload) {
        final int l = model.length;
        System.arraycopy(model, 0, upload, 0, l);
        java.util.Arrays.fill(upload, l, 2 * l, 0.0);
    }

    @Override
    public void onPoll(double[] received, double[] upload) {
        final int l = model.length;
        for (int i = 0; i < l; i++) {
            receivedModel[i] = received[i];                                     // x~: the first L numbers
            correction[i] = received[l + i] - control[i];                       // v = c~ - c_k
        }
        basis.toBasis(receivedModel, start);
        basis.toBasis(correction, correctionCoordinates);
        System.arraycopy(start, 0, coordinates, 0, start.length);
        for (int e = 0; e < steps; e++) {
            for (int i = 0; i < coordinates.length; i++) {
                final double z = coordinates[i];
                coordinates[i] = z - stepSize * (curvatures[i] * z - offset[i] + correctionCoordinates[i]);
            }
        }
        final double drift = steps * stepSize;                                  // E eta
        for (int i = 0; i < coordinates.length; i++) {
            coordinates[i] = coordinates[i] - start[i] + drift * correctionCoordinates[i];
        }
        basis.fromBasis(coordinates, delta);
        for (int i = 0; i < l; i++) {
            delta[i] -= drift * correction[i];                                  // y_E - x~
            final double controlDelta = -received[l + i] - delta[i] / drift;    // c_k+ - c_k = -c~ + (x~ - y_E) / (E eta)
            upload[i] = delta[i];
            upload[l + i] = controlDelta;
            control[i] += controlDelta;
            model[i] = received[i] + delta[i];                                  // w_k = y_E
        }
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
