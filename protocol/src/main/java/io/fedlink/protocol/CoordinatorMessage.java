package io.fedlink.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/** What the coordinator on the server node hears from clients nodes. */
public sealed interface CoordinatorMessage extends FedlinkMessage
        permits CoordinatorMessage.ClientStatisticsReport, CoordinatorMessage.ClientNodeReady,
                CoordinatorMessage.Local {

    /**
     * Client k's sufficient statistics for w* (X_k^T X_k and X_k^T y_k, and its weight): what the
     * server needs to measure the metric. X_k and y_k never leave the node. A node sends them to the
     * intake the coordinator gave it ({@link NodeMessage.SendStatistics}), never to the coordinator.
     *
     * @param gram   X_k^T X_k, L x L row-major
     * @param moment X_k^T y_k
     */
    record ClientStatisticsReport(int clientId, double[] gram, double[] moment, double weight)
            implements CoordinatorMessage {
    }

    /**
     * A clients node hosts clients firstClient..lastClient and is ready to send their statistics.
     *
     * @param federation the parameters its clients' data come from (seed, K, L, rho, samples); the
     *                   coordinator refuses a node whose data would not be the experiment's
     * @param node       where instructions go: a session reference the node made for this coordinator
     *                   alone, so that it obeys only whoever holds it
     */
    record ClientNodeReady(int firstClient, int lastClient, String federation, ActorRef<NodeMessage> node)
            implements CoordinatorMessage {
    }

    /** Messages the coordinator sends itself; never serialized. */
    non-sealed interface Local extends CoordinatorMessage, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }
}
