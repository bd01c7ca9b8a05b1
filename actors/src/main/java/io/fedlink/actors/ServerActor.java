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
 * The server: broadcasts the global vector to the polled clients, collects their uploads, and closes
 * the round when every polled client has answered, has stopped, or the round timeout expires (a
 * stopped or silent client is dropped for that round, never waited on forever). It then aggregates
 * the uploads in client-id order, whatever their arrival order, with the algorithm's server rule
 * from core/, and reports the round to the scheduler and the monitor.
 *
 * <p>This is Pekko's device-group query shape: watch every polled client, one timeout per round,
 * collect until nothing is outstanding. Clients answer through an upload-only reference whose
 * adapter admits an upload only as the answer to an open poll ({@link Upload}): one for another
 * round, from a client not polled in this round, a second one, one that does not carry the poll's id,
 * or a vector of the wrong length or not finite is rejected, counted, logged, and changes nothing,
 * not even the uplink's noise stream.
 */
public final class ServerActor extends AbstractBehavior<ServerMessage> {

    private record RoundTimeout(int round) implements ServerMessage.Local {
    }

    private record ClientStopped(int clientId) implements ServerMessage.Local {
    }

    private final ServerRule rule;
    private final int uploadLength;
    private final Duration roundTimeout;
    private final ActorRef<MonitorMessage> monitor;
    private final RoundStateWriter.Handle roundState;
    private final TimerScheduler<ServerMessage> timers;
    private final Set<ActorRef<ClientMessage>> watched = new HashSet<>();
    private final PollIds pollIds = new PollIds();
    /** The answer-only reference the clients answer to: uploads and lost-poll notices, nothing else. */
    private final ActorRef<ServerMessage.Answer> uploads;
    private final Set<Integer> stopped = new HashSet<>();

    private int round = -1;
    private boolean open;
    private int[] polled = new int[0];
    private long[] polls = new long[0];
    private double[][] answers = new double[0][];
    private boolean[] dropped = new boolean[0];
    private boolean[] lost = new boolean[0];
    private int lostUplinks;
    private int lostDownlinks;
    private int outstanding;
    private int rejected;
    private ActorRef<RoundClosed> scheduler;

    private ServerActor(ActorContext<ServerMessage> context, TimerScheduler<ServerMessage> timers, ServerRule rule,
                        int uploadLength, Duration roundTimeout, ActorRef<MonitorMessage> monitor,
                        RoundStateWriter.Handle roundState) {
        super(context);
        this.roundState = roundState;
        this.timers = timers;
        this.rule = rule;
        this.uploadLength = uploadLength;
        this.roundTimeout = roundTimeout;
        this.monitor = monitor;
        this.uploads = context.messageAdapter(ServerMessage.Answer.class, this::admit);
    }

    /**
     * @param rule         the algorithm's server rule, before round 0
     * @param uploadLength the length of an upload: L, or what the algorithm declares
     * @param roundTimeout how long a round waits for silent clients
     * @param monitor      where round reports go
     */
    public static Behavior<ServerMessage> create(ServerRule rule, int uploadLength, Duration roundTimeout,
                                                 ActorRef<MonitorMessage> monitor) {
        return create(rule, uploadLength, roundTimeout, monitor, null);
    }

    /**
     * A server that also sends its round state every N rounds to the trial's checkpoint writer, which
     * writes it and checks it against an interrupted run's state when it gets there.
     *
     * @param roundState the trial's round-state writer, or null for none
     */
    static Behavior<ServerMessage> create(ServerRule rule, int uploadLength, Duration roundTimeout,
                                                 ActorRef<MonitorMessage> monitor,
                                                 RoundStateWriter.Handle roundState) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new ServerActor(ctx, timers, rule, uploadLength, roundTimeout, monitor, roundState)));
    }

    @Override
    public Receive<ServerMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(RoundPlan.class, this::onRoundPlan)
                .onMessage(Upload.Admitted.class, this::onAdmitted)
                .onMessage(Upload.Missed.class, this::onMissed)
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
            return this;
        }
        round = plan.round();
        scheduler = plan.replyTo();
        polled = plan.polled().clone();
        polls = new long[polled.length];
        answers = new double[polled.length][];
        dropped = new boolean[polled.length];
        lost = new boolean[polled.length];
        outstanding = polled.length;
        open = true;

        final double[] broadcast = round == 0 ? null : rule.broadcast().clone();
        for (int i = 0; i < polled.length; i++) {
            final ActorRef<ClientMessage> client = plan.clients().get(i);
            if (watched.add(client)) {
                getContext().watchWith(client, new ClientStopped(polled[i]));
            }
            if (stopped.contains(polled[i])) {
                drop(i);
            } else {
                polls[i] = pollIds.next();
                client.tell(round == 0 ? new StartUp(polls[i], uploads)
                        : new GlobalModel(round, polls[i], broadcast, uploads));
            }
        }
        if (outstanding == 0) {
            return closeRound();
        }
        timers.startSingleTimer(new RoundTimeout(round), roundTimeout);
        return this;
    }

    /**
     * The upload reference's adapter: admits an upload only as the answer to a poll still open, before
     * it reaches the uplink (so a refused one draws no noise).
     */
    private Upload admit(ServerMessage.Answer answer) {
        final int slot = open && answer.round() == round ? Arrays.binarySearch(polled, answer.clientId()) : -1;
        final String problem;
        if (!open || answer.round() != round) {
            problem = "it answers round " + answer.round() + " but the open round is " + (open ? round : "none");
        } else if (slot < 0) {
            problem = "client " + answer.clientId() + " was not polled in round " + round;
        } else if (settled(slot)) {
            problem = "client " + answer.clientId() + " has already been " + (dropped[slot] ? "dropped"
                    : lost[slot] ? "lost" : "heard") + " in round " + round;
        } else if (answer.poll() != polls[slot]) {
            problem = "it does not answer the poll sent to client " + answer.clientId() + " in round " + round;
        } else if (answer instanceof LocalModel upload) {
            problem = vectorProblem(upload, uploadLength);
        } else {
            return new Upload.Missed((ServerMessage.PollLost) answer);
        }
        return problem != null ? new Upload.Refused(answer, problem) : new Upload.Admitted((LocalModel) answer);
    }

    private boolean settled(int slot) {
        return answers[slot] != null || dropped[slot] || lost[slot];
    }

    private Behavior<ServerMessage> onAdmitted(Upload.Admitted admitted) {
        final int slot = Arrays.binarySearch(polled, admitted.clientId());
        answers[slot] = admitted.vector();
        outstanding--;
        return outstanding == 0 ? closeRound() : this;
    }

    /** The client's poll was lost on its downlink: it took the round as not polled; nothing will come. */
    private Behavior<ServerMessage> onMissed(Upload.Missed missed) {
        lostDownlinks++;
        return settleLost(Arrays.binarySearch(polled, missed.lost().clientId()));
    }

    /** The uplink lost an admitted upload: the round does not wait for it. */
    private Behavior<ServerMessage> onUploadLost(TransmissionLost transmission) {
        if (!(transmission.message() instanceof Upload.Admitted upload)) {
            return this;
        }
        lostUplinks++;
        return settleLost(Arrays.binarySearch(polled, upload.clientId()));
    }

    private Behavior<ServerMessage> settleLost(int slot) {
        lost[slot] = true;
        outstanding--;
        return outstanding == 0 ? closeRound() : this;
    }

    private Behavior<ServerMessage> reject(ServerMessage.Answer answer, String problem) {
        rejected++;
        getContext().getLog().warn("rejected an answer from client {}: {}", answer.clientId(), problem);
        return this;
    }

    /** Why an upload's vector cannot be aggregated (wrong length, not finite), or null when it can. */
    static String vectorProblem(LocalModel upload, int length) {
        return io.fedlink.core.linalg.ReceivedVectors.problem(upload.vector(), length);
    }

    private Behavior<ServerMessage> onRoundTimeout(RoundTimeout timeout) {
        if (!open || timeout.round() != round) {
            return this;
        }
        for (int i = 0; i < polled.length; i++) {
            if (!settled(i)) {
                getContext().getLog().warn("client {} silent in round {} after {}; dropped for this round",
                        polled[i], round, roundTimeout);
                drop(i);
            }
        }
        return closeRound();
    }

    private Behavior<ServerMessage> onClientStopped(ClientStopped stop) {
        stopped.add(stop.clientId());
        if (!open) {
            return this;
        }
        final int slot = Arrays.binarySearch(polled, stop.clientId());
        if (slot >= 0 && !settled(slot)) {
            getContext().getLog().warn("client {} stopped during round {}; dropped", stop.clientId(), round);
            drop(slot);
            if (outstanding == 0) {
                return closeRound();
            }
        }
        return this;
    }

    private void drop(int slot) {
        dropped[slot] = true;
        outstanding--;
    }

    /** Aggregates in client-id order (the determinism contract), then reports the round. */
    private Behavior<ServerMessage> closeRound() {
        timers.cancel(new RoundTimeout(round));
        rule.beginRound(polled.length);
        int received = 0;
        int droppedCount = 0;
        for (int i = 0; i < polled.length; i++) {
            if (answers[i] != null) {
                rule.receive(polled[i], answers[i]);
                received++;
            } else if (dropped[i]) {
                droppedCount++;
            }
        }
        rule.closeRound();
        if (roundState != null && roundState.due(round)) {
            roundState.writer().tell(new RoundStateWriter.Record(round, rule.globalModel().clone(),
                    rule.broadcast().clone(), rule.checkpointState()));
        }
        final int[] droppedIds = new int[droppedCount];
        for (int i = 0, j = 0; i < polled.length; i++) {
            if (dropped[i]) {
                droppedIds[j++] = polled[i];
            }
        }
        open = false;
        answers = new double[0][];
        monitor.tell(new RoundReport(round, polled.length, received, droppedIds, rejected, lostUplinks, lostDownlinks));
        rejected = 0;                                          // later rejections count towards the next report
        lostUplinks = 0;
        lostDownlinks = 0;
        scheduler.tell(new RoundClosed(round, polled.length, received, droppedIds));
        return this;
    }
}
