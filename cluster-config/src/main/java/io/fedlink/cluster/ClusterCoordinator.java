package io.fedlink.cluster;

import io.fedlink.core.data.ClientStatistics;
import io.fedlink.core.data.OptimumAccumulator;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.CoordinatorMessage.ClientNodeReady;
import io.fedlink.protocol.CoordinatorMessage.ClientStatisticsReport;
import io.fedlink.protocol.NodeMessage;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The coordinator on the server node, a cluster singleton: clients nodes find it through the
 * Receptionist, send their clients' statistics and say they are ready. Once every client 0..K-1 is
 * accounted for, it computes w* (summing in id order, as one JVM does) and lets the experiment
 * start. It keeps the {@link NodeDirectory} current: a node that stops is removed, one that joins
 * late is told about the running trials.
 */
public final class ClusterCoordinator extends AbstractBehavior<CoordinatorMessage> {

    /** Where clients nodes find the coordinator. */
    public static final ServiceKey<CoordinatorMessage> KEY =
            ServiceKey.create(CoordinatorMessage.class, "fedlink-coordinator");

    private record NodeStopped(ActorRef<NodeMessage> node) implements CoordinatorMessage.Local {
    }

    private final int clients;
    private final int dimension;
    private final String federation;
    private final NodeDirectory directory;
    private final CompletableFuture<double[]> optimum;
    private final ClientStatistics[] statistics;
    private final ClientStatistics[] pending;
    private int known;

    private ClusterCoordinator(ActorContext<CoordinatorMessage> context, int clients, int dimension, String federation,
                               NodeDirectory directory, CompletableFuture<double[]> optimum) {
        super(context);
        this.federation = federation;
        this.clients = clients;
        this.dimension = dimension;
        this.directory = directory;
        this.optimum = optimum;
        this.statistics = new ClientStatistics[clients];
        this.pending = new ClientStatistics[clients];
        context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
    }

    /** @param federation the parameters every clients node's data must come from (see ClusterNode.federation) */
    static Behavior<CoordinatorMessage> create(int clients, int dimension, String federation, NodeDirectory directory,
                                               CompletableFuture<double[]> optimum) {
        return Behaviors.setup(ctx -> new ClusterCoordinator(ctx, clients, dimension, federation, directory, optimum));
    }

    @Override
    public Receive<CoordinatorMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(ClientStatisticsReport.class, this::onStatistics)
                .onMessage(ClientNodeReady.class, this::onNodeReady)
                .onMessage(NodeStopped.class, this::onNodeStopped)
                .build();
    }

    private Behavior<CoordinatorMessage> onStatistics(ClientStatisticsReport report) {
        final int k = report.clientId();
        if (k < 0 || k >= clients || report.moment().length != dimension
                || report.gram().length != dimension * dimension) {
            getContext().getLog().warn("statistics for client {} of dimension {} refused: the federation has clients "
                    + "0..{} of dimension {}", k, report.moment().length, clients - 1, dimension);
            return this;
        }
        // Held until the node that sent it proves to belong to this experiment (ClientNodeReady).
        pending[k] = new ClientStatistics(k, report.gram(), report.moment(), report.weight());
        return this;
    }

    private Behavior<CoordinatorMessage> onNodeReady(ClientNodeReady ready) {
        if (!federation.equals(ready.federation())) {
            getContext().getLog().error("refused clients node {}: its data come from [{}], the experiment's from [{}]",
                    ready.node().path().address(), ready.federation(), federation);
            ready.node().tell(new NodeMessage.ExperimentOver("refused: this node's flags give [" + ready.federation()
                    + "] but the server's experiment is [" + federation + "]; give every node the same flags"));
            return this;
        }
        if (ready.firstClient() < 0 || ready.lastClient() >= clients || ready.firstClient() > ready.lastClient()) {
            getContext().getLog().warn("a clients node offers clients {}..{}, outside 0..{}; ignored",
                    ready.firstClient(), ready.lastClient(), clients - 1);
            return this;
        }
        for (int k = ready.firstClient(); k <= ready.lastClient(); k++) {
            if (pending[k] != null) {
                if (statistics[k] == null) {
                    known++;
                }
                statistics[k] = pending[k];
                pending[k] = null;
            }
        }
        getContext().watchWith(ready.node(), new NodeStopped(ready.node()));
        directory.add(ready.node(), new NodeDirectory.Range(ready.firstClient(), ready.lastClient()));
        getContext().getLog().info("clients node {} ready with clients {}..{}", ready.node().path().address(),
                ready.firstClient(), ready.lastClient());
        if (!optimum.isDone() && known == clients) {
            final OptimumAccumulator accumulator = new OptimumAccumulator(dimension);
            for (ClientStatistics s : statistics) {
                accumulator.add(s);
            }
            optimum.complete(accumulator.solve());
        }
        return this;
    }

    private Behavior<CoordinatorMessage> onNodeStopped(NodeStopped stopped) {
        directory.remove(stopped.node());
        getContext().getLog().warn("clients node {} is gone; its clients are dropped", stopped.node().path().address());
        return this;
    }
}
