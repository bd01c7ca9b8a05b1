package io.fedlink.cluster;

import io.fedlink.core.data.ClientStatistics;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.CoordinatorMessage.ClientStatisticsReport;
import io.fedlink.protocol.NodeMessage;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Where one clients node sends its clients' statistics: the coordinator spawns one per announced node,
 * under a name no one can guess, and hands its reference to that node alone. It takes statistics only
 * for the node's own range, of the federation's dimension, with finite numbers and a positive weight;
 * a node that sends anything else is refused as a whole. Once it holds the whole range it hands it to
 * the coordinator (which keeps the first statistics accepted for each client) and stops.
 */
final class StatisticsIntake extends AbstractBehavior<ClientStatisticsReport> {

    private final ActorRef<NodeMessage> node;
    private final NodeDirectory.Range range;
    private final int dimension;
    private final ActorRef<CoordinatorMessage> coordinator;
    private final ClientStatistics[] received;
    private int count;

    private StatisticsIntake(ActorContext<ClientStatisticsReport> context, ActorRef<NodeMessage> node,
                             NodeDirectory.Range range, int dimension, ActorRef<CoordinatorMessage> coordinator) {
        super(context);
        this.node = node;
        this.range = range;
        this.dimension = dimension;
        this.coordinator = coordinator;
        this.received = new ClientStatistics[range.size()];
    }

    /**
     * @param node        the node's session reference: whose statistics these are
     * @param range       the clients the node announced
     * @param coordinator told {@link ClusterCoordinator.NodeStatistics} or {@link ClusterCoordinator.NodeRefused}
     */
    static Behavior<ClientStatisticsReport> create(ActorRef<NodeMessage> node, NodeDirectory.Range range, int dimension,
                                                   ActorRef<CoordinatorMessage> coordinator) {
        return Behaviors.setup(ctx -> new StatisticsIntake(ctx, node, range, dimension, coordinator));
    }

    @Override
    public Receive<ClientStatisticsReport> createReceive() {
        return newReceiveBuilder()
                .onMessage(ClientStatisticsReport.class, this::onStatistics)
                .build();
    }

    private Behavior<ClientStatisticsReport> onStatistics(ClientStatisticsReport report) {
        final String problem = problemWith(report);
        if (problem != null) {
            coordinator.tell(new ClusterCoordinator.NodeRefused(node, problem));
            return Behaviors.stopped();
        }
        final int slot = report.clientId() - range.first();
        if (received[slot] != null) {
            return this;                                       // the same statistics again
        }
        received[slot] = new ClientStatistics(report.clientId(), report.gram().clone(), report.moment().clone(),
                report.weight());
        if (++count < received.length) {
            return this;
        }
        coordinator.tell(new ClusterCoordinator.NodeStatistics(node, range, received.clone()));
        return Behaviors.stopped();
    }

    /** Why the node that sent this report cannot be a member of the federation, or null. */
    private String problemWith(ClientStatisticsReport report) {
        final int k = report.clientId();
        if (k < range.first() || k > range.last()) {
            return "it sent statistics for client " + k + ", outside its own clients " + range.first() + ".."
                    + range.last();
        }
        if (report.gram() == null || report.moment() == null || report.moment().length != dimension
                || report.gram().length != dimension * dimension) {
            return "its statistics for client " + k + " are not of the federation's dimension L = " + dimension;
        }
        if (!(report.weight() > 0.0) || Double.isInfinite(report.weight())) {
            return "its statistics for client " + k + " have weight " + report.weight()
                    + ", not a positive finite number";
        }
        if (!allFinite(report.gram()) || !allFinite(report.moment())) {
            return "its statistics for client " + k + " hold a non-finite number (NaN or infinity)";
        }
        final ClientStatistics earlier = received[k - range.first()];
        if (earlier != null && !(Arrays.equals(earlier.gram(), report.gram())
                && Arrays.equals(earlier.moment(), report.moment()) && earlier.weight() == report.weight())) {
            return "it sent two different statistics for client " + k;
        }
        return null;
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
