package io.fedlink.core.algorithm;

/**
 * The default {@link ClientBlock}: one {@link ClientRule} per slot, called one after another, exactly as
 * engines that run trials one by one call them. Third-party algorithms run in blocks through it unchanged.
 */
final class ClientRuleBlock implements ClientBlock {

    private final ClientRule[] rules;
    private final int clientId;

    ClientRuleBlock(ClientRule[] rules) {
        if (rules.length == 0) {
            throw new IllegalArgumentException("a block needs at least one slot");
        }
        this.rules = rules.clone();
        this.clientId = rules[0].clientId();
        for (ClientRule rule : rules) {
            if (rule.clientId() != clientId) {
                throw new IllegalArgumentException("a block holds one client: rules of clients " + clientId + " and "
                        + rule.clientId());
            }
        }
    }

    @Override
    public int clientId() {
        return clientId;
    }

    @Override
    public int size() {
        return rules.length;
    }

    @Override
    public void startUpload(int slot, double[] upload) {
        rules[slot].startUpload(upload);
    }

    @Override
    public void round(int[] polled, int count, double[][] received, double[][] uploads, boolean idleSteps) {
        int next = 0;
        for (int slot = 0; slot < rules.length; slot++) {
            if (next < count && polled[next] == slot) {
                rules[slot].onPoll(received[next], uploads[next]);
                next++;
            } else if (idleSteps) {
                rules[slot].onIdleRound();
            }
        }
        if (next != count) {
            throw new IllegalArgumentException("polled slots must ascend within 0.." + (rules.length - 1));
        }
    }

    @Override
    public double squaredDeviation(int slot, double[] optimum) {
        return rules[slot].squaredDeviation(optimum);
    }

    @Override
    public double[] model(int slot) {
        return rules[slot].model();
    }
}
