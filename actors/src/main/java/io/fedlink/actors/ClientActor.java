package io.fedlink.actors;

import io.fedlink.core.algorithm.ClientBlock;
import io.fedlink.core.algorithm.ClientRule;
import io.fedlink.core.linalg.VectorOps;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.FinishTrial;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ClientMessage.StartUp;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.ServerMessage.LocalModel;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One client: its data constants and its local state in every trial of the federation's block (one trial
 * on a cluster), driven by the algorithm's {@link ClientBlock} from core/.
 *
 * <p>It answers a poll with its updates, and only a poll: one message carries the client's vector of every
 * trial of the block that polled it this round, and its answer carries one upload per such trial (and the
 * trials whose poll its downlink lost). Under continual updates it also owes one local step in every trial
 * in each round in which it was not polled at all; in lockstep mode it takes those steps lazily, in round
 * order, when it is next polled or the trial finishes. The steps involve no randomness and no communication,
 * so the numbers are those of a client ticking every round.
 *
 * <p>After every round it records ||w_k - w*||^2 in every trial for the monitor (the metric; w* is known to
 * the simulation, not to the algorithm) and reports the history when it next speaks: in a block of several
 * trials at most every {@value #REPORT_ROUNDS} rounds (and at the end), which spares the monitor a message per
 * client per round without delaying anything but the metric.
 */
public final class ClientActor extends AbstractBehavior<ClientMessage> {

    /** In a block of several trials, rounds of deviations held back before a report rides a poll's answer. */
    static final int REPORT_ROUNDS = 8;

    private static final int[] NO_SLOTS = {};
    private static final double[][] NO_VECTORS = {};

    private final ClientBlock block;
    private final int size;
    private final double[] optimum;
    private final ActorRef<DeviationReport> monitor;
    private final boolean stepsWhenNotPolled;
    private final int uploadLength;
    private final int broadcastLength;
    private final int reportEvery;
    private final double[] deviation;                  // the latest, per slot
    private int roundsDone;
    private int reportedThrough;
    private double[] pending;                          // rounds not yet reported, B values each
    private int pendingCount;

    private ClientActor(ActorContext<ClientMessage> context, ClientBlock block, double[] optimum,
                        ActorRef<DeviationReport> monitor, boolean stepsWhenNotPolled, int uploadLength,
                        int broadcastLength) {
        super(context);
        this.block = block;
        this.size = block.size();
        this.optimum = optimum;
        this.monitor = monitor;
        this.stepsWhenNotPolled = stepsWhenNotPolled;
        this.uploadLength = uploadLength;
        this.broadcastLength = broadcastLength;
        this.reportEvery = size == 1 ? 1 : REPORT_ROUNDS;
        this.deviation = new double[size];
        this.pending = new double[8 * size];
        for (int s = 0; s < size; s++) {
            deviation[s] = block.squaredDeviation(s, optimum);
        }
        // Round 0's deviations, so that the monitor knows every client's state from the start.
        monitor.tell(new DeviationReport(block.clientId(), 0, deviation.clone()));
    }

    /**
     * A client of a federation of one trial.
     *
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
     * A client of a federation of one trial, of an algorithm that exchanges vectors longer than the model.
     *
     * @param uploadLength    the length of what it uploads
     * @param broadcastLength the length of what it accepts from the server
     */
    public static Behavior<ClientMessage> create(ClientRule rule, double[] optimum, ActorRef<DeviationReport> monitor,
                                                 boolean stepsWhenNotPolled, int uploadLength, int broadcastLength) {
        return create(ClientBlock.ofRules(new ClientRule[] {rule}), optimum, monitor, stepsWhenNotPolled, uploadLength,
                broadcastLength);
    }

    /**
     * A client in every trial of a block.
     *
     * @param block client k's block, fresh (w_k = wh_k in every slot)
     */
    public static Behavior<ClientMessage> create(ClientBlock block, double[] optimum, ActorRef<DeviationReport> monitor,
                                                 boolean stepsWhenNotPolled, int uploadLength, int broadcastLength) {
        return Behaviors.setup(ctx -> new ClientActor(ctx, block, optimum, monitor, stepsWhenNotPolled, uploadLength,
                broadcastLength));
    }

    /**
     * One small object per client where a ReceiveBuilder makes about a dozen (its cases, their arrays and
     * the handlers' lambdas, some 300 bytes): at a million clients every byte of a client actor is copied by
     * the collector while the federation is set up (docs/performance.md). Polls are tested first.
     */
    @Override
    public Receive<ClientMessage> createReceive() {
        return new Receive<>() {
            @Override
            public Behavior<ClientMessage> receiveMessage(ClientMessage msg) {
                if (msg instanceof GlobalModel poll) {
                    return onPoll(poll, NO_SLOTS);
                } else if (msg instanceof StartUp startUp) {
                    return onStartUp(startUp);
                } else if (msg instanceof FinishTrial finish) {
                    return onFinishTrial(finish);
                } else if (msg instanceof TransmissionLost lost) {
                    return onTransmissionLost(lost);
                }
                return Behaviors.unhandled();
            }

            @Override
            public Behavior<ClientMessage> receiveSignal(Signal signal) {
                return Behaviors.unhandled();
            }
        };
    }

    private Behavior<ClientMessage> onStartUp(StartUp msg) {
        if (roundsDone > 0) {
            getContext().getLog().warn("client {}: start-up request after round {}; ignored", block.clientId(),
                    roundsDone);
            return Behaviors.same();
        }
        final int[] slots = msg.slots();
        if (slots.length > 0 && slots[slots.length - 1] >= size) {
            getContext().getLog().warn("client {}: start-up request for slot {} of a block of {}; ignored",
                    block.clientId(), slots[slots.length - 1], size);
            return Behaviors.same();
        }
        final double[][] uploads = VectorOps.zeros(slots.length, uploadLength);
        for (int i = 0; i < slots.length; i++) {
            block.startUpload(slots[i], uploads[i]);
        }
        msg.replyTo().tell(new LocalModel(0, block.clientId(), msg.poll(), slots, uploads, NO_SLOTS));
        return Behaviors.same();
    }

    /** The downlink lost the poll in some slots (or all): there the round counts as not polled. */
    private Behavior<ClientMessage> onTransmissionLost(TransmissionLost lost) {
        if (lost.delivered() instanceof GlobalModel poll) {
            return onPoll(poll, lost.lost());
        }
        return Behaviors.same();
    }

    /**
     * A poll as the downlink delivered it: the slots that arrived step on what they received, the slots in
     * {@code lost} and those not polled take the round as not polled. Nothing is uploaded for a lost slot;
     * the answer names it, so that the server does not wait.
     */
    private Behavior<ClientMessage> onPoll(GlobalModel msg, int[] lost) {
        if (msg.round() <= roundsDone) {
            getContext().getLog().warn("client {}: poll for round {} but round {} is done; ignored",
                    block.clientId(), msg.round(), roundsDone);
            return Behaviors.same();
        }
        final String problem = problem(msg, lost);
        if (problem != null) {
            getContext().getLog().warn("client {}: global model of round {} refused: {}", block.clientId(),
                    msg.round(), problem);
            return Behaviors.same();
        }
        catchUp(msg.round() - 1);
        final int[] slots = msg.slots();
        final double[][] uploads = VectorOps.zeros(slots.length, uploadLength);
        block.round(slots, slots.length, msg.vectors(), uploads, stepsWhenNotPolled);
        roundsDone = msg.round();
        if (stepsWhenNotPolled) {
            for (int s = 0; s < size; s++) {
                deviation[s] = block.squaredDeviation(s, optimum);
            }
        } else {
            for (int slot : slots) {
                deviation[slot] = block.squaredDeviation(slot, optimum);
            }
        }
        record();
        msg.replyTo().tell(new LocalModel(msg.round(), block.clientId(), msg.poll(), slots, uploads, lost));
        if (pendingCount >= reportEvery * size) {
            report();
        }
        return Behaviors.same();
    }

    /** Why a delivered poll cannot be taken (slots outside the block, a vector of the wrong length or not finite). */
    private String problem(GlobalModel msg, int[] lost) {
        final int[] slots = msg.slots();
        final int last = Math.max(slots.length > 0 ? slots[slots.length - 1] : -1,
                lost.length > 0 ? lost[lost.length - 1] : -1);
        if (last >= size) {
            return "slot " + last + " is outside the block of " + size;
        }
        for (double[] vector : msg.vectors()) {
            final String problem = io.fedlink.core.linalg.ReceivedVectors.problem(vector, broadcastLength);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private Behavior<ClientMessage> onFinishTrial(FinishTrial msg) {
        catchUp(msg.lastRound());
        report();
        return Behaviors.same();
    }

    /** Takes the idle-round steps owed for rounds roundsDone+1 .. through, in order, in every slot. */
    private void catchUp(int through) {
        reserve(through - roundsDone + 1);   // one array for the catch-up and a poll after it, not one per doubling
        for (int round = roundsDone + 1; round <= through; round++) {
            if (stepsWhenNotPolled) {
                block.round(NO_SLOTS, 0, NO_VECTORS, NO_VECTORS, true);
                for (int s = 0; s < size; s++) {
                    deviation[s] = block.squaredDeviation(s, optimum);
                }
            }
            record();                                      // without steps: w_k unchanged when not polled
        }
        roundsDone = Math.max(roundsDone, through);
    }

    /** Holds this round's deviations, one per slot, for the next report. */
    private void record() {
        reserve(1);
        System.arraycopy(deviation, 0, pending, pendingCount, size);
        pendingCount += size;
    }

    /** Room in {@code pending} for {@code rounds} more rounds. */
    private void reserve(int rounds) {
        final int needed = pendingCount + rounds * size;
        if (needed > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, needed));
        }
    }

    private void report() {
        if (pendingCount == 0) {
            return;
        }
        monitor.tell(new DeviationReport(block.clientId(), reportedThrough + 1, Arrays.copyOf(pending, pendingCount)));
        reportedThrough += pendingCount / size;
        pendingCount = 0;
    }
}
