package io.fedlink.core.algorithm;

import io.fedlink.core.data.ClientConstants;

/**
 * A client of RERCE-Fed with continual local updates (SPEC 4.4, eqs. 13-14, Algorithm 5) in one trial: the
 * one-slot {@link ContinualClientBlock}, where the continual step in the eigenbasis of P_k is written
 * (and explained). Engines that run trials one at a time (free-running mode) use this rule; engines that
 * run blocks use the block; both give the same bits.
 */
final class ContinualRerceClient implements ClientRule {

    private static final int[] ONLY_SLOT = {0};

    private final ContinualClientBlock block;
    private final double[][] received = new double[1][];
    private final double[][] upload = new double[1][];

    ContinualRerceClient(ClientConstants constants) {
        this.block = new ContinualClientBlock(constants, 1);
    }

    @Override
    public int clientId() {
        return block.clientId();
    }

    @Override
    public void startUpload(double[] upload) {
        block.startUpload(0, upload);
    }

    @Override
    public void onPoll(double[] receivedVector, double[] uploadVector) {
        received[0] = receivedVector;
        upload[0] = uploadVector;
        block.round(ONLY_SLOT, 1, received, upload, true);
        received[0] = null;                                             // not kept
        upload[0] = null;
    }

    @Override
    public void onIdleRound() {
        block.round(ONLY_SLOT, 0, received, upload, true);
    }

    @Override
    public double[] model() {
        return block.model(0);
    }

    @Override
    public double squaredDeviation(double[] optimum) {
        return block.squaredDeviation(0, optimum);
    }
}
