package io.fedlink.actors;

import io.fedlink.core.algorithm.ServerRule;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.ClientMessage.GlobalModel;
import io.fedlink.protocol.ClientMessage.StartUp;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import io.fedlink.protocol.SchedulerMessage.RoundClosed;
import io.fedlink.protocol.ServerMessage;
import io.fedlink.protocol.ServerMessage.LocalModel;
import io.fedlink.protocol.ServerMessage.RoundPlan;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The server of a federation that simulates a block of trials (one, on a cluster): one server rule per
 * trial (slot). It sends each client polled in any trial one poll with the broadcast of every trial that
 * polled it, collects the answers, and closes the round when every polled client has answered, has
 * stopped, or the round timeout expires (a stopped or silent client is dropped for that round in every
 * trial, never waited on forever). It then aggregates each trial's uploads in client-id order, whatever
 * their arrival order, with that trial's rule from core/, and reports each trial's round to the monitor
 * and the round to the scheduler.
 *
 * <p>This is Pekko's device-group query shape: one timeout per round, collect until nothing is
 * outstanding; a polled client that stops is dropped as soon as the scheduler, which watches every client
 * it registered, says so ({@link ClientStopped}). Clients answer through an upload-only reference whose
 * adapter admits an answer only to an open poll ({@link Upload}): one for another round, from a client not
 * polled in this round, a second one, one that does not carry the poll's id, one not for exactly the
 * trials polled, or a vector of the wrong length or not finite is rejected, counted, logged, and changes
 * nothing, not even the uplinks' noise streams.
 */
public final class ServerActor extends AbstractBehavior<ServerMessage> {

    private record RoundTimeout(int round) implements ServerMessage.Local {
    }

    private static final int[] NONE = {};

    private final ServerRule[] rules;
    private final int uploadLength;
    private final Duration roundTimeout;
    private final ActorRef<MonitorMessage> monitor;
    private final RoundStateWriter.Handle roundState;
    private final TimerScheduler<ServerMessage> timers;
    private final PollIds pollIds = new PollIds();
    /** The answer-only reference the clients answer to: their uploads, nothing else. */
    private final ActorRef<ServerMessage.Answer> uploads;
    private final Set<Integer> stopped = new HashSet<>();

    private int round = -1;
    private boolean open;
    private int[] clientIds = NONE;                  // polled in some slot, ascending
    private int[][] polled = new int[0][];           // per slot
    private int[][] slotsOf = new int[0][];          // per polled client: its slots
    private long[] polls = new long[0];
    private LocalModel[] answers = new LocalModel[0];
    private int[][] uplinkLost = new int[0][];
    private boolean[] dropped = new boolean[0];
    private int outstanding;
    private int rejected;
    private ActorRef<RoundClosed> scheduler;

    private ServerActor(ActorContext<ServerMessage> context, TimerScheduler<ServerMessage> timers, ServerRule[] rules,
                        int uploadLength, Duration roundTimeout, ActorRef<MonitorMessage> monitor,
                        RoundStateWriter.Handle roundState) {
        super(context);
        this.roundState = roundState;
        this.timers = timers;
        this.rules = rules.clone();
        this.uploadLength = uploadLength;
        this.roundTimeout = roundTimeout;
        this.monitor = monitor;
        this.uploads = context.messageAdapter(ServerMessage.Answer.class, this::admit);
    }

    /**
     * The server of a federation of one trial.
     *
     * @param rule         the algorithm's server rule, before round 0
     * @param uploadLength the length of an upload: L, or what the algorithm declares
     * @param roundTimeout how long a round waits for silent clients
     * @param monitor      where round reports go
     */
    public static Behavior<ServerMessage> create(ServerRule rule, int uploadLength, Duration roundTimeout,
                                                 ActorRef<MonitorMessage> monitor) {
        return create(new ServerRule[] {rule}, uploadLength, roundTimeout, monitor, null);
    }

    /**
     * The server of a block of trials, which also sends its round state every N rounds to the block's
     * checkpoint writer, which writes it and checks it against an interrupted run's state when it gets there.
     *
     * @param rules      one server rule per slot, before round 0
     * @param roundState the block's round-state writer, or null for none
     */
    static Behavior<ServerMessage> create(ServerRule[] rules, int uploadLength, Duration roundTimeout,
                                          ActorRef<MonitorMessage> monitor, RoundStateWriter.Handle roundState) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new ServerActor(ctx, timers, rules, uploadLength, roundTimeout, monitor, roundState)));
    }

    @Override
    public Receive<ServerMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(RoundPlan.class, this::onRoundPlan)
                .onMessage(Upload.Admitted.class, admitted -> settle(admitted.upload(), NONE))
                .onMessage(TransmissionLost.class, this::onUploadLost)
                .onMessage(Upload.Refused.class, refused -> reject(refused.answer(), refused.problem()))
                .onMessage(ServerMessage.Answer.class, answer -> reject(answer, "it did not come through the "
                        + "answer reference"))
                .onMessage(RoundTimeout.class, this::onRoundTimeout)
                .onMessage(ClientStopped.class, this::onClientStopped)
                .build();
    }

    private Behavior<ServerMessage> onRoundPlan(RoundPlan plan) {
        if (open) {
            getContext().getLog().warn("round plan {} while round {} is open; ignored", plan.round(), round);
            return Behaviors.same();
        }
        if (plan.polled().length != rules.length) {
            getContext().getLog().warn("round plan {} for {} trials in a block of {}; ignored", plan.round(),
                    plan.polled().length, rules.length);
            return Behaviors.same();
        }
        round = plan.round();
        scheduler = plan.replyTo();
        clientIds = plan.clientIds();
        polled = plan.polled();
        slotsOf = slotsOf(clientIds, polled);
        final int n = clientIds.length;
        polls = new long[n];
        answers = new LocalModel[n];
        uplinkLost = new int[n][];
        dropped = new boolean[n];
        outstanding = n;
        open = true;

        final double[][] broadcasts = new double[rules.length][];
        if (round > 0) {
            for (int s = 0; s < rules.length; s++) {
                if (polled[s].length > 0) {
                    broadcasts[s] = rules[s].broadcast().clone();   // shared by the polls: never modified
                }
            }
        }
        for (int i = 0; i < n; i++) {
            final ActorRef<ClientMessage> client = plan.clients().get(i);
            if (stopped.contains(clientIds[i])) {
                drop(i);
                continue;
            }
            polls[i] = pollIds.next();
            if (round == 0) {
                client.tell(new StartUp(polls[i], slotsOf[i], uploads));
            } else {
                final double[][] vectors = new double[slotsOf[i].length][];
                for (int j = 0; j < vectors.length; j++) {
                    vectors[j] = broadcasts[slotsOf[i][j]];
                }
                client.tell(new GlobalModel(round, polls[i], slotsOf[i], vectors, uploads));
            }
        }
        if (outstanding == 0) {
            return closeRound();
        }
        timers.startSingleTimer(new RoundTimeout(round), roundTimeout);
        return Behaviors.same();
    }

    /** Where {@code id} is in the ascending {@code ids}, looking from {@code from} on, where it is known to be. */
    private static int seek(int[] ids, int from, int id) {
        int i = from;
        while (ids[i] != id) {
            i++;
        }
        return i;
    }

    /**
     * For each polled client (in the order of {@code ids}), the slots that poll it, ascending. A round plan
     * holds every slot's ids ascending and each among {@code ids} ({@link RoundPlan} checks), so one pass
     * over {@code ids} per slot finds them.
     */
    private static int[][] slotsOf(int[] ids, int[][] polled) {
        final int[] counts = new int[ids.length];
        for (int[] slot : polled) {
            int i = 0;
            for (int id : slot) {
                i = seek(ids, i, id);
                counts[i]++;
            }
        }
        final int[][] slots = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            slots[i] = new int[counts[i]];
            counts[i] = 0;
        }
        for (int s = 0; s < polled.length; s++) {
            int i = 0;
            for (int id : polled[s]) {
                i = seek(ids, i, id);
                slots[i][counts[i]++] = s;
            }
        }
        return slots;
    }

    /**
     * The upload reference's adapter: admits an answer only to a poll still open, before it reaches the
     * uplinks (so a refused one draws no noise).
     */
    private Upload admit(ServerMessage.Answer answer) {
        final int index = open && answer.round() == round ? Arrays.binarySearch(clientIds, answer.clientId()) : -1;
        final String problem;
        if (!open || answer.round() != round) {
            problem = "it answers round " + answer.round() + " but the open round is " + (open ? round : "none");
        } else if (index < 0) {
            problem = "client " + answer.clientId() + " was not polled in round " + round;
        } else if (settled(index)) {
            problem = "client " + answer.clientId() + " has already been " + (dropped[index] ? "dropped" : "heard")
                    + " in round " + round;
        } else if (answer.poll() != polls[index]) {
            problem = "it does not answer the poll sent to client " + answer.clientId() + " in round " + round;
        } else {
            problem = answerProblem((LocalModel) answer, slotsOf[index], uploadLength);
        }
        return problem != null ? new Upload.Refused(answer, problem) : new Upload.Admitted((LocalModel) answer);
    }

    /**
     * Why an answer cannot be aggregated: its uploaded and lost slots are not exactly the slots polled, or
     * a vector has the wrong length or is not finite; null when it can.
     */
    static String answerProblem(LocalModel upload, int[] polledSlots, int length) {
        final int[] slots = upload.slots();
        final int[] lost = upload.lost();
        if (slots.length + lost.length != polledSlots.length) {
            return "it answers for " + (slots.length + lost.length) + " trials, " + polledSlots.length + " were polled";
        }
        for (int i = 0, j = 0, k = 0; k < polledSlots.length; k++) {
            if (i < slots.length && slots[i] == polledSlots[k]) {
                i++;
            } else if (j < lost.length && lost[j] == polledSlots[k]) {
                j++;
            } else {
                return "it does not answer for the trials polled, " + Arrays.toString(polledSlots);
            }
        }
        for (double[] vector : upload.vectors()) {
            final String problem = io.fedlink.core.linalg.ReceivedVectors.problem(vector, length);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private boolean settled(int index) {
        return answers[index] != null || dropped[index];
    }

    /** Some of an admitted upload's slots were lost on their uplinks: the round does not wait for them. */
    private Behavior<ServerMessage> onUploadLost(TransmissionLost transmission) {
        if (!(transmission.delivered() instanceof Upload.Admitted upload)) {
            return Behaviors.same();
        }
        return settle(upload.upload(), transmission.lost());
    }

    /** A polled client's answer has arrived, as its uplinks delivered it. */
    private Behavior<ServerMessage> settle(LocalModel upload, int[] lostOnUplink) {
        final int index = Arrays.binarySearch(clientIds, upload.clientId());
        answers[index] = upload;
        uplinkLost[index] = lostOnUplink;
        outstanding--;
        return outstanding == 0 ? closeRound() : Behaviors.same();
    }

    private Behavior<ServerMessage> reject(ServerMessage.Answer answer, String problem) {
        rejected++;
        getContext().getLog().warn("rejected an answer from client {}: {}", answer.clientId(), problem);
        return Behaviors.same();
    }

    private Behavior<ServerMessage> onRoundTimeout(RoundTimeout timeout) {
        if (!open || timeout.round() != round) {
            return Behaviors.same();
        }
        for (int i = 0; i < clientIds.length; i++) {
            if (!settled(i)) {
                getContext().getLog().warn("client {} silent in round {} after {}; dropped for this round",
                        clientIds[i], round, roundTimeout);
                drop(i);
            }
        }
        return closeRound();
    }

    private Behavior<ServerMessage> onClientStopped(ClientStopped stop) {
        stopped.add(stop.clientId());
        if (!open) {
            return Behaviors.same();
        }
        final int index = Arrays.binarySearch(clientIds, stop.clientId());
        if (index >= 0 && !settled(index)) {
            getContext().getLog().warn("client {} stopped during round {}; dropped", stop.clientId(), round);
            drop(index);
            if (outstanding == 0) {
                return closeRound();
            }
        }
        return Behaviors.same();
    }

    private void drop(int index) {
        dropped[index] = true;
        outstanding--;
    }

    /** Aggregates each slot's uploads in client-id order (the determinism contract), then reports the round. */
    private Behavior<ServerMessage> closeRound() {
        timers.cancel(new RoundTimeout(round));
        int polledTotal = 0;
        int receivedTotal = 0;
        for (int s = 0; s < rules.length; s++) {
            final ServerRule rule = rules[s];
            final int[] ids = polled[s];
            rule.beginRound(ids.length);
            int received = 0;
            int lostUplinks = 0;
            int lostDownlinks = 0;
            int droppedCount = 0;
            final int[] droppedIds = new int[ids.length];
            int index = 0;                                   // ids within clientIds, both ascending
            for (int id : ids) {
                index = seek(clientIds, index, id);
                if (dropped[index]) {
                    droppedIds[droppedCount++] = id;
                    continue;
                }
                final LocalModel answer = answers[index];
                final int position = Arrays.binarySearch(answer.slots(), s);
                if (position >= 0) {
                    rule.receive(id, answer.vectors()[position]);
                    received++;
                } else if (Arrays.binarySearch(uplinkLost[index], s) >= 0) {
                    lostUplinks++;
                } else {
                    lostDownlinks++;                             // the poll was lost: the client said so
                }
            }
            rule.closeRound();
            if (roundState != null && roundState.due(round)) {
                roundState.writer().tell(new RoundStateWriter.Record(s, round, rule.globalModel().clone(),
                        rule.broadcast().clone(), rule.checkpointState()));
            }
            // Rejections are the block's, not a trial's: slot 0's report carries them.
            monitor.tell(new RoundReport(s, round, ids.length, received, Arrays.copyOf(droppedIds, droppedCount),
                    s == 0 ? rejected : 0, lostUplinks, lostDownlinks));
            polledTotal += ids.length;
            receivedTotal += received;
        }
        int droppedClients = 0;
        for (boolean d : dropped) {
            droppedClients += d ? 1 : 0;
        }
        final int[] droppedIds = new int[droppedClients];
        for (int i = 0, j = 0; i < clientIds.length; i++) {
            if (dropped[i]) {
                droppedIds[j++] = clientIds[i];
            }
        }
        open = false;
        answers = new LocalModel[0];
        rejected = 0;                                          // later rejections count towards the next report
        scheduler.tell(new RoundClosed(round, polledTotal, receivedTotal, droppedIds));
        return Behaviors.same();
    }
}
