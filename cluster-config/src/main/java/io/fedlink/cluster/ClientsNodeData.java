package io.fedlink.cluster;

import io.fedlink.core.data.ClientConstants;
import io.fedlink.core.data.ClientData;
import io.fedlink.core.data.ClientStatistics;
import io.fedlink.core.engine.Experiment;

/**
 * What a clients node keeps of its clients' data: their constants (for the clients it spawns) and
 * their sufficient statistics (for the coordinator). The data themselves, X_k and y_k, are generated
 * from (seed, client id) exactly as in one JVM (or, from a data file, only these clients' rows are
 * kept: the partition is computed from the seed on every node), used, and dropped; they never leave
 * the node.
 *
 * @param constants  clients first..last, in order
 * @param statistics the same clients' statistics, in order
 */
record ClientsNodeData(ClientConstants[] constants, ClientStatistics[] statistics) {

    /** Generates clients first..last: blocking work (an SVD per client), for a blocking dispatcher. */
    static ClientsNodeData generate(Experiment experiment, int first, int last) {
        final ClientConstants[] constants = new ClientConstants[last - first + 1];
        final ClientStatistics[] statistics = new ClientStatistics[last - first + 1];
        final ClientData[] clients = experiment.clientData(first, last);
        for (int k = first; k <= last; k++) {
            final ClientData data = clients[k - first];
            constants[k - first] = ClientConstants.of(data, experiment.rho());
            statistics[k - first] = ClientStatistics.of(data);
        }
        return new ClientsNodeData(constants, statistics);
    }
}
