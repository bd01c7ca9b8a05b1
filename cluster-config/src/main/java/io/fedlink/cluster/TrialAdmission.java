package io.fedlink.cluster;

import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.NodeMessage.StartTrial;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.SchedulerMessage.RegisterClient;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Admits clients nodes to one trial on the cluster: for each node (those ready when the trial starts,
 * and any that becomes ready while it runs) it spawns that node's two {@link Gate}s, registration
 * to the scheduler and deviation reports to the monitor, both for the node's own clients only, and
 * tells the node to start the trial with them. It watches its gates: the trial cannot run without
 * them, so one that stops fails this actor, and the trial with it.
 */
final class TrialAdmission extends AbstractBehavior<TrialAdmission.Admit> {

    /** A clients node is ready: let it take part. */
    record Admit(ActorRef<NodeMessage> node, NodeDirectory.Range range) implements NoSerializationVerificationNeeded {
    }

    /**
     * The trial, as the nodes are told it.
     *
     * @param key a key unique within the experiment (series and trial)
     */
    record Trial(int key, int trial, String algorithm, double downlinkVariance, double[] optimum) {
    }

    private final Trial trial;
    private final ActorRef<SchedulerMessage> scheduler;
    private final ActorRef<MonitorMessage> monitor;
    private final Set<ActorRef<NodeMessage>> admitted = new HashSet<>();

    private TrialAdmission(ActorContext<Admit> context, Trial trial, ActorRef<SchedulerMessage> scheduler,
                           ActorRef<MonitorMessage> monitor) {
        super(context);
        this.trial = trial;
        this.scheduler = scheduler;
        this.monitor = monitor;
    }

    static Behavior<Admit> create(Trial trial, ActorRef<SchedulerMessage> scheduler, ActorRef<MonitorMessage> monitor) {
        return Behaviors.setup(ctx -> new TrialAdmission(ctx, trial, scheduler, monitor));
    }

    @Override
    public Receive<Admit> createReceive() {
        return newReceiveBuilder()
                .onMessage(Admit.class, this::onAdmit)
                .build();
    }

    private Behavior<Admit> onAdmit(Admit admit) {
        if (!admitted.add(admit.node())) {
            return this;
        }
        final ActorRef<Object> registrations = getContext().spawn(
                Gate.create(RegisterClient.class, RegisterClient::clientId, admit.range(), scheduler),
                Unguessable.name("registrations"));
        final ActorRef<Object> deviations = getContext().spawn(
                Gate.create(DeviationReport.class, DeviationReport::clientId, admit.range(), monitor),
                Unguessable.name("deviations"));
        getContext().watch(registrations);
        getContext().watch(deviations);
        admit.node().tell(new StartTrial(trial.key(), trial.trial(), trial.algorithm(), trial.downlinkVariance(),
                trial.optimum(), registrations.narrow(), deviations.narrow()));
        return this;
    }
}
