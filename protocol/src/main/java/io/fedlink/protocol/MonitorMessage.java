package io.fedlink.protocol;

/**
 * What a trial's monitor hears: the measurements behind the metric. They carry no model, so no
 * link perturbs them; in a real deployment they are the evaluation hook, not part of learning.
 */
public sealed interface MonitorMessage extends FedlinkMessage
        permits MonitorMessage.DeviationReport, MonitorMessage.DeviationSample, MonitorMessage.RoundReport,
                MonitorMessage.TrialEnded, MonitorMessage.Local {

    /**
     * Client k's squared deviation ||w_k - w*||^2 after each of the rounds
     * {@code firstRound .. firstRound + R - 1}, in every slot of its block: round by round, and within a
     * round slot by slot (B values per round; one in a federation of one trial).
     */
    record DeviationReport(int clientId, int firstRound, double[] deviations) implements MonitorMessage {
    }

    /**
     * Free-running mode: client k's squared deviation ||w_k - w*||^2 just after one of its local steps.
     */
    record DeviationSample(int clientId, double deviation) implements MonitorMessage {
    }

    /**
     * The server's account of a closed round of one trial (slot) of its block.
     *
     * @param slot          the trial's slot in the block (0 in a federation of one trial)
     * @param rejected      uploads refused in this round (stale, unknown client, wrong length, duplicate);
     *                      a block's server counts them in slot 0's report
     * @param lostUplinks   uploads of this round the uplinks lost
     * @param lostDownlinks polls of this round the downlinks lost
     */
    record RoundReport(int slot, int round, int polled, int received, int[] dropped, int rejected, int lostUplinks,
                       int lostDownlinks) implements MonitorMessage {

        /** A round of a federation of one trial. */
        public RoundReport(int round, int polled, int received, int[] dropped, int rejected, int lostUplinks,
                           int lostDownlinks) {
            this(0, round, polled, received, dropped, rejected, lostUplinks, lostDownlinks);
        }

        /** A round over links that lost nothing, in a federation of one trial. */
        public RoundReport(int round, int polled, int received, int[] dropped, int rejected) {
            this(0, round, polled, received, dropped, rejected, 0, 0);
        }
    }

    /**
     * The scheduler has planned its last round, {@code lastRound}; every client owes its deviations
     * through it.
     *
     * @param stoppedClients ids of clients that stopped during the trial: they report no more
     * @param absentClients  ids of clients that never registered (their node was gone): the metric
     *                       is taken over the clients of the federation
     */
    record TrialEnded(int lastRound, int[] stoppedClients, int[] absentClients) implements MonitorMessage {
    }

    /**
     * Messages an actor sends itself (timers, watch notifications), declared privately in that
     * actor. They never leave the JVM and are not part of the wire protocol.
     */
    non-sealed interface Local extends MonitorMessage, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }
}
