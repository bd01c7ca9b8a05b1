package io.fedlink.protocol;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a clients node hears from the coordinator on the server node, through the session reference
 * the node handed that coordinator in its {@link CoordinatorMessage.ClientNodeReady}.
 */
public sealed interface NodeMessage extends FedlinkMessage
        permits NodeMessage.StartTrial, NodeMessage.EndTrial, NodeMessage.ExperimentOver,
                NodeMessage.SendStatistics, NodeMessage.Local {

    /**
     * Spawn this node's clients for one trial, fresh from their constants, each behind its downlink
     * (noise stream keyed by seed, trial and client id), and register them with the trial's scheduler.
     * The downlinks' channel and per-client variances come from the node's own series (the key's
     * series index): its flags were checked against the server's when it joined, and the algorithm
     * and variance named here must agree with that series.
     *
     * @param trialKey         a key unique within the experiment (series and trial), for naming
     * @param trial            the trial number: it keys the clients' random streams
     * @param algorithm        the algorithm's command-line name
     * @param downlinkVariance the series' downlink noise variance (before any link budget scales it)
     * @param optimum          w*, for the clients' deviation reports
     * @param scheduler        the trial scheduler's registration-only reference
     * @param monitor          the trial monitor's deviation-only reference
     */
    record StartTrial(int trialKey, int trial, String algorithm, double downlinkVariance, double[] optimum,
                      ActorRef<SchedulerMessage.RegisterClient> scheduler,
                      ActorRef<MonitorMessage.DeviationReport> monitor) implements NodeMessage {
    }

    /** The trial is over: stop its clients. */
    record EndTrial(int trialKey) implements NodeMessage {
    }

    /** The experiment is over: the node may leave the cluster. */
    record ExperimentOver(String outcome) implements NodeMessage {
    }

    /**
     * The coordinator has taken the node's announcement: send the statistics of every client in the
     * announced range to {@code intake}, a reference that serves this node alone.
     */
    record SendStatistics(ActorRef<CoordinatorMessage.ClientStatisticsReport> intake) implements NodeMessage {
    }

    /** Messages a node actor sends itself; never serialized. */
    non-sealed interface Local extends NodeMessage, org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }
}
