package io.fedlink.actors;

import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.FinishTrial;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ClientMessage.StartUp;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.ServerMessage.LocalModel;
import io.fedlink.protocol.ServerMessage.PollLost;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One client: its data constants and local state, driven by the algorithm's client rule from core/.
 *
 * <p>It answers a poll with its update, and only a poll. Under continual updates it also owes one
 * local step for every round in which it was not polled; in lockstep mode it takes those steps
 * lazily, in round order, when it is next polled or the trial finishes. The steps involve no
 * randomness and no communication, so the numbers are those of a client ticking every round, and
 * the federation exchanges only C downlink and C uplink messages per round.
 *
 * <p>After every round it records ||w_k - w*||^2 for the monitor (the metric; w* is known to the
 * simulation, not to the algorithm) and reports the history whenever it next speaks.
 */
public final class ClientActor extends AbstractBehavior<ClientMessage> {

    private final ClientRule rule;
    private final double[] optimum;
    private final ActorRef<DeviationReport> monitor;
    private final boolean stepsWhenNotPolled;
    private final int uploadLength;
    private final int broadcastLength;
    private int roundsDone;
    private int reportedThrough;
    private double deviation;
    private double[] pending = new double[8];
    private int pendingCount;

    private ClientActor(ActorContext<ClientMessage> context, ClientRule rule, double[] optimum,
                        ActorRef<DeviationReport> monitor, boolean stepsWhenNotPolled, int uploadLength,
                        int broadcastLength) {
        super(context);
        this.rule = rule;
        this.optimum = optimum;
        this.monitor = monitor;
        this.stepsWhenNotPolled = stepsWhenNotPolled;
        this.uploadLength = uploadLength;
        this.broadcastLength = broadcastLength;
        this.deviation = rule.squaredDeviation(optimum);
        // Round 0's deviation, so that the monitor knows every client's state from the start.
        monitor.tell(new DeviationReport(rule.clientId(), 0, new double[] {deviation}));
    }

    /**
     * @param rule               client k's rule, fresh (w_k = wh_k)
     * @param optimum            w*, for the metric; read-only, may be shared
     * @param monitor            where deviation reports go (the monitor, or its deviation-only reference)
     * @param stepsWhenNotPolled whether the algorithm steps in rounds the client is not polled
     */
    public static Behavior<ClientMessage> create(ClientRule rule, double[] optimum,
                                                 ActorRef<DeviationReport> monitor, boolean stepsWhenNotPolled) {
        return create(rule, optimum, monitor, stepsWhenNotPolled, optimum.length, optimum.length);
    }

    /**
     * A client of an algorithm that exchanges vectors longer than the model.
     *
     * @param uploadLength    the length of what it uploads
     * @param broadcastLength the length of what it accepts from the server
     */
    public static Behavior<ClientMessage> create(ClientRule rule, double[] optimum, ActorRef<DeviationReport> monitor,
                                                 boolean stepsWhenNotPolled, int uploadLength, int broadcastLength) {
        return Behaviors.setup(ctx -> new ClientActor(ctx, rule, optimum, monitor, stepsWhenNotPolled, uploadLength,
                broadcastLength));
    }

    @Override
    public Receive<ClientMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(StartUp.class, this::onStartUp)
                .onMessage(GlobalModel.class, this::onGlobalModel)
                .onMessage(FinishTrial.class, this::onFinishTrial)
                .onMessage(TransmissionLost.class, this::onTransmissionLost)
                .build();
    }

    private Behavior<ClientMessage> onStartUp(StartUp msg) {
        if (roundsDone > 0) {
            getContext().getLog().warn("client {}: start-up request after round {}; ignored", rule.clientId(), roundsDone);
            return this;
        }
        final double[] upload = new double[uploadLength];
        rule.startUpload(upload);
        msg.replyTo().tell(new LocalModel(0, rule.clientId(), msg.poll(), upload));
        return this;
    }

    private Behavior<ClientMessage> onGlobalModel(GlobalModel msg) {
        if (msg.round() <= roundsDone) {
            getContext().getLog().warn("client {}: poll for round {} but round {} is done; ignored",
                    rule.clientId(), msg.round(), roundsDone);
            return this;
        }
        final String problem = io.fedlink.core.linalg.ReceivedVectors.problem(msg.vector(), broadcastLength);
        if (problem != null) {
            getContext().getLog().warn("client {}: global model of round {} refused: {}", rule.clientId(),
                    msg.round(), problem);
            return this;
        }
        catchUp(msg.round() - 1);
        final double[] upload = new double[uploadLength];
        rule.onPoll(msg.vector(), upload);
        roundsDone = msg.round();
        record(rule.squaredDeviation(optimum));
        msg.replyTo().tell(new LocalModel(msg.round(), rule.clientId(), msg.poll(), upload));
        report();
        return this;
    }

    /**
     * The downlink lost the poll: the round counts as not polled (a continual client takes its idle
     * step), nothing is uploaded, and the server hears so instead of waiting.
     */
    private Behavior<ClientMessage> onTransmissionLost(TransmissionLost lost) {
        if (!(lost.message() instanceof GlobalModel poll) || poll.round() <= roundsDone) {
            return this;
        }
        catchUp(poll.round());
        poll.replyTo().tell(new PollLost(poll.round(), rule.clientId(), poll.poll()));
        report();
        return this;
    }

    private Behavior<ClientMessage> onFinishTrial(FinishTrial msg) {
        catchUp(msg.lastRound());
        report();
        return this;
    }

    /** Takes the idle-round steps owed for rounds roundsDone+1 .. through, in order. */
    private void catchUp(int through) {
        for (int round = roundsDone + 1; round <= through; round++) {
            if (stepsWhenNotPolled) {
                rule.onIdleRound();
                record(rule.squaredDeviation(optimum));
            } else {
                record(deviation);                           // w_k unchanged when not polled
            }
        }
        roundsDone = Math.max(roundsDone, through);
    }

    private void record(double value) {
        deviation = value;
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        }
        pending[pendingCount++] = value;
    }

    private void report() {
        if (pendingCount == 0) {
            return;
        }
        monitor.tell(new DeviationReport(rule.clientId(), reportedThrough + 1, Arrays.copyOf(pending, pendingCount)));
        reportedThrough += pendingCount;
        pendingCount = 0;
    }
}
