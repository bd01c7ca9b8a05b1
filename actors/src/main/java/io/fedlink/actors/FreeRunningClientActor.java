package io.fedlink.actors;

import io.fedlink.core.algorithm.ClientBlock;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.FinishTrial;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ClientMessage.StartUp;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.MonitorMessage.DeviationSample;
import io.fedlink.protocol.ServerMessage.LocalModel;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A client in free-running mode: it steps on its own clock, one local step per tick of its period,
 * as a device of its own speed would. A poll is answered at the client's next tick (a newer poll
 * replaces one not yet answered); on a tick with no poll waiting, it takes the algorithm's idle step
 * (a real step under continual updates, nothing otherwise). The clock starts with the first message
 * from the server. Every step is sampled for the monitor.
 */
public final class FreeRunningClientActor extends AbstractBehavior<ClientMessage> {

    private enum Tick implements ClientMessage.Local {
        INSTANCE
    }

    private final TimerScheduler<ClientMessage> timers;
    private final ClientBlock rule;                       // one slot
    private final double[] optimum;
    private final ActorRef<MonitorMessage> monitor;
    private final boolean stepsWhenNotPolled;
    private final Duration period;
    private final int uploadLength;
    private final int broadcastLength;
    private boolean ticking;
    private GlobalModel waiting;

    private FreeRunningClientActor(ActorContext<ClientMessage> context, TimerScheduler<ClientMessage> timers,
                                   ClientBlock rule, double[] optimum, ActorRef<MonitorMessage> monitor,
                                   boolean stepsWhenNotPolled, Duration period, int uploadLength,
                                   int broadcastLength) {
        super(context);
        this.timers = timers;
        this.rule = rule;
        this.optimum = optimum;
        this.monitor = monitor;
        this.stepsWhenNotPolled = stepsWhenNotPolled;
        this.period = period;
        this.uploadLength = uploadLength;
        this.broadcastLength = broadcastLength;
        monitor.tell(new DeviationReport(rule.clientId(), 0, new double[] {rule.squaredDeviation(0, optimum)}));
    }

    /** @param period this client's step period (its speed) */
    public static Behavior<ClientMessage> create(ClientRule rule, double[] optimum,
                                                 ActorRef<MonitorMessage> monitor, boolean stepsWhenNotPolled,
                                                 Duration period) {
        return create(rule, optimum, monitor, stepsWhenNotPolled, period, optimum.length, optimum.length);
    }

    /** The same for an algorithm whose uploads and broadcasts have the given lengths. */
    public static Behavior<ClientMessage> create(ClientRule rule, double[] optimum,
                                                 ActorRef<MonitorMessage> monitor, boolean stepsWhenNotPolled,
                                                 Duration period, int uploadLength, int broadcastLength) {
        return create(ClientBlock.ofRules(new ClientRule[] {rule}), optimum, monitor, stepsWhenNotPolled, period,
                uploadLength, broadcastLength);
    }

    /** The same with the algorithm's one-slot {@link ClientBlock} (a free-running federation runs one trial). */
    public static Behavior<ClientMessage> create(ClientBlock rule, double[] optimum,
                                                 ActorRef<MonitorMessage> monitor, boolean stepsWhenNotPolled,
                                                 Duration period, int uploadLength, int broadcastLength) {
        if (rule.size() != 1) {
            throw new IllegalArgumentException("a free-running client runs one trial, not " + rule.size());
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new FreeRunningClientActor(ctx, timers, rule, optimum, monitor, stepsWhenNotPolled, period,
                        uploadLength, broadcastLength)));
    }

    @Override
    public Receive<ClientMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(StartUp.class, this::onStartUp)
                .onMessage(GlobalModel.class, this::onGlobalModel)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(FinishTrial.class, this::onFinishTrial)
                .onMessage(TransmissionLost.class, this::onTransmissionLost)
                .build();
    }

    private Behavior<ClientMessage> onStartUp(StartUp msg) {
        final double[] upload = new double[uploadLength];
        rule.startUpload(0, upload);
        msg.replyTo().tell(new LocalModel(0, rule.clientId(), msg.poll(), upload));
        startClock();
        return Behaviors.same();
    }

    private Behavior<ClientMessage> onGlobalModel(GlobalModel msg) {
        final String problem = msg.slots().length != 1 || msg.slots()[0] != 0 ? "a poll for slots "
                + java.util.Arrays.toString(msg.slots()) + " of a federation of one trial"
                : io.fedlink.core.linalg.ReceivedVectors.problem(msg.vectors()[0], broadcastLength);
        if (problem != null) {
            getContext().getLog().warn("client {}: global model of round {} refused: {}", rule.clientId(),
                    msg.round(), problem);
            return Behaviors.same();
        }
        waiting = msg;
        startClock();
        return Behaviors.same();
    }

    /** The downlink lost the poll: nothing to answer; the server hears so (it counts the loss). */
    private Behavior<ClientMessage> onTransmissionLost(TransmissionLost lost) {
        if (lost.delivered() instanceof GlobalModel poll) {
            poll.replyTo().tell(new LocalModel(poll.round(), rule.clientId(), poll.poll(), new int[0], new double[0][],
                    lost.lost()));
            startClock();
        }
        return Behaviors.same();
    }

    private void startClock() {
        if (!ticking) {
            ticking = true;
            timers.startTimerWithFixedDelay(Tick.INSTANCE, period);
        }
    }

    private Behavior<ClientMessage> onTick() {
        if (waiting != null) {
            final double[][] upload = {new double[uploadLength]};
            rule.round(ClientMessage.ONLY_SLOT, 1, waiting.vectors(), upload, stepsWhenNotPolled);
            waiting.replyTo().tell(new LocalModel(waiting.round(), rule.clientId(), waiting.poll(), upload[0]));
            waiting = null;
        } else if (stepsWhenNotPolled) {
            rule.round(ClientMessage.ONLY_SLOT, 0, new double[0][], new double[0][], true);
        } else {
            return Behaviors.same();
        }
        monitor.tell(new DeviationSample(rule.clientId(), rule.squaredDeviation(0, optimum)));
        return Behaviors.same();
    }

    private Behavior<ClientMessage> onFinishTrial(FinishTrial msg) {
        timers.cancelAll();
        ticking = true;                                         // the clock stays stopped
        return Behaviors.same();
    }
}
