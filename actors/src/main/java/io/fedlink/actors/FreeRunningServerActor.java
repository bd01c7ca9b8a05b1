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
 * The server in free-running mode: it aggregates on its own cadence (each plan the scheduler's timer
 * sends closes the open round) from whatever uploads have arrived, in client-id order, and polls the
 * next clients. An upload counts when it answers that client's latest poll, however late; an answer
 * to a poll that a newer one replaced, a second answer, or one of the wrong length is rejected.
 * The start-up round 0 closes when every client asked has answered or stopped (as the scheduler
 * says, {@link ClientStopped}), as in lockstep, or after one round timeout without the silent ones.
 */
public final class FreeRunningServerActor extends AbstractBehavior<ServerMessage> {

    /** Round 0 has waited a whole round timeout for start-up uploads. */
    private enum StartUpTimeout implements ServerMessage.Local {
        INSTANCE
    }

    private final ServerRule rule;
    private final int uploadLength;
    private final ActorRef<MonitorMessage> monitor;
    private final TimerScheduler<ServerMessage> timers;
    private final Duration startUpTimeout;
    private final int[] latestPoll;
    private final long[] latestPollId;
    private final PollIds pollIds = new PollIds();
    private final ActorRef<ServerMessage.Answer> uploads;
    private final double[][] arrived;
    private final Set<Integer> stopped = new HashSet<>();
    private int round = -1;
    private int polledInRound;
    private int arrivedCount;
    private int startUpOutstanding;
    private int rejected;
    private int lostUplinks;
    private int lostDownlinks;
    private ActorRef<RoundClosed> scheduler;

    private FreeRunningServerActor(ActorContext<ServerMessage> context, TimerScheduler<ServerMessage> timers,
                                   ServerRule rule, int clients, int uploadLength, Duration startUpTimeout,
                                   ActorRef<MonitorMessage> monitor) {
        super(context);
        this.timers = timers;
        this.startUpTimeout = startUpTimeout;
        this.rule = rule;
        this.uploadLength = uploadLength;
        this.monitor = monitor;
        this.latestPoll = new int[clients];
        Arrays.fill(latestPoll, -1);
        this.latestPollId = new long[clients];
        this.arrived = new double[clients][];
        this.uploads = context.messageAdapter(ServerMessage.Answer.class, this::admit);
    }

    /**
     * @param startUpTimeout how long the start-up round 0 waits for silent clients before it closes
     *                       without them (later rounds close on the scheduler's cadence)
     */
    public static Behavior<ServerMessage> create(ServerRule rule, int clients, int uploadLength, Duration startUpTimeout,
                                                 ActorRef<MonitorMessage> monitor) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new FreeRunningServerActor(ctx, timers, rule, clients, uploadLength, startUpTimeout, monitor)));
    }

    @Override
    public Receive<ServerMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(RoundPlan.class, this::onRoundPlan)
                .onMessage(Upload.Admitted.class, this::onAdmitted)
                .onMessage(TransmissionLost.class, this::onUploadLost)
                .onMessage(Upload.Refused.class, refused -> onRefused(refused.answer(), refused.problem()))
                .onMessage(ServerMessage.Answer.class, answer -> onRefused(answer, "it did not come through the "
                        + "answer reference"))
                .onMessage(ClientStopped.class, this::onClientStopped)
                .onMessageEquals(StartUpTimeout.INSTANCE, this::onStartUpTimeout)
                .build();
    }

    private Behavior<ServerMessage> onRoundPlan(RoundPlan plan) {
        scheduler = plan.replyTo();
        if (round >= 1) {
            aggregate();                                        // the cadence closes the open round
        }
        round = plan.round();
        polledInRound = plan.clientIds().length;              // one trial: its polled clients
        final double[] broadcast = round == 0 ? null : rule.broadcast().clone();
        for (int i = 0; i < plan.clientIds().length; i++) {
            final int k = plan.clientIds()[i];
            final ActorRef<ClientMessage> client = plan.clients().get(i);
            if (stopped.contains(k) || k < 0 || k >= latestPoll.length) {
                continue;
            }
            latestPoll[k] = round;
            latestPollId[k] = pollIds.next();
            client.tell(round == 0 ? new StartUp(latestPollId[k], uploads)
                    : new GlobalModel(round, latestPollId[k], broadcast, uploads));
            if (round == 0) {
                startUpOutstanding++;
            }
        }
        if (round == 0 && startUpOutstanding == 0) {
            aggregate();
        } else if (round == 0) {
            timers.startSingleTimer(StartUpTimeout.INSTANCE, startUpTimeout);
        }
        return Behaviors.same();
    }

    /** Round 0 closes without the clients still silent; their late start-up uploads are then rejected. */
    private Behavior<ServerMessage> onStartUpTimeout() {
        if (round != 0 || startUpOutstanding == 0) {
            return Behaviors.same();
        }
        getContext().getLog().warn("{} clients silent in the start-up round after {}; it closes without them",
                startUpOutstanding, startUpTimeout);
        for (int k = 0; k < latestPoll.length; k++) {
            if (latestPoll[k] == 0) {
                latestPoll[k] = -1;
            }
        }
        startUpOutstanding = 0;
        aggregate();
        return Behaviors.same();
    }

    /**
     * The upload reference's adapter: admits an upload only as the answer to the client's latest poll,
     * before it reaches the uplink (so a refused one draws no noise; see {@link Upload}).
     */
    private Upload admit(ServerMessage.Answer answer) {
        final int k = answer.clientId();
        final String problem;
        if (k < 0 || k >= latestPoll.length) {
            problem = "no client " + k + " in this federation";
        } else if (latestPoll[k] != answer.round()) {
            problem = latestPoll[k] < 0 ? "client " + k + " has no poll waiting for an answer"
                    : "it answers round " + answer.round() + " but client " + k + " was last polled in round "
                    + latestPoll[k];
        } else if (answer.poll() != latestPollId[k]) {
            problem = "it does not answer the poll sent to client " + k + " in round " + answer.round();
        } else {
            problem = ServerActor.answerProblem((LocalModel) answer, ClientMessage.ONLY_SLOT, uploadLength);
        }
        return problem != null ? new Upload.Refused(answer, problem) : new Upload.Admitted((LocalModel) answer);
    }

    /** The uplink lost an admitted upload. */
    private Behavior<ServerMessage> onUploadLost(TransmissionLost transmission) {
        if (transmission.delivered() instanceof Upload.Admitted upload) {
            return onLost(upload.clientId(), upload.round(), true);
        }
        return Behaviors.same();
    }

    /** Client k's answer to its latest poll will not come (lost on either link): counted, not waited for. */
    private Behavior<ServerMessage> onLost(int k, int answeredRound, boolean uplink) {
        if (uplink) {
            lostUplinks++;
        } else {
            lostDownlinks++;
        }
        latestPoll[k] = -1;
        if (round == 0 && answeredRound == 0 && --startUpOutstanding == 0) {
            timers.cancel(StartUpTimeout.INSTANCE);
            aggregate();
        }
        return Behaviors.same();
    }

    private Behavior<ServerMessage> onAdmitted(Upload.Admitted admitted) {
        final int k = admitted.clientId();
        if (admitted.slots().length == 0) {
            return onLost(k, admitted.round(), false);           // the client's word that its poll was lost
        }
        latestPoll[k] = -1;
        arrived[k] = admitted.vectors()[0];
        arrivedCount++;
        if (round == 0 && admitted.round() == 0 && --startUpOutstanding == 0) {
            timers.cancel(StartUpTimeout.INSTANCE);
            aggregate();
        }
        return Behaviors.same();
    }

    private Behavior<ServerMessage> onRefused(ServerMessage.Answer answer, String problem) {
        rejected++;
        final int k = answer.clientId();
        if (k >= 0 && k < latestPoll.length && latestPoll[k] > answer.round()) {
            // Superseded by a newer poll: normal when clients are slower than the server's cadence.
            getContext().getLog().debug("rejected an upload from client {}: {}", k, problem);
        } else {
            getContext().getLog().warn("rejected an upload from client {}: {}", k, problem);
        }
        return Behaviors.same();
    }

    private Behavior<ServerMessage> onClientStopped(ClientStopped stop) {
        stopped.add(stop.clientId());
        if (round == 0 && stop.clientId() >= 0 && stop.clientId() < latestPoll.length
                && latestPoll[stop.clientId()] == 0) {
            latestPoll[stop.clientId()] = -1;
            if (--startUpOutstanding == 0) {
                timers.cancel(StartUpTimeout.INSTANCE);
                aggregate();
            }
        }
        return Behaviors.same();
    }

    /** Aggregates everything that arrived since the last aggregation, in client-id order. */
    private void aggregate() {
        rule.beginRound(polledInRound);
        for (int k = 0; k < arrived.length; k++) {
            if (arrived[k] != null) {
                rule.receive(k, arrived[k]);
                arrived[k] = null;
            }
        }
        rule.closeRound();
        final int received = arrivedCount;
        arrivedCount = 0;
        monitor.tell(new RoundReport(round, polledInRound, received, new int[0], rejected, lostUplinks, lostDownlinks));
        lostUplinks = 0;
        lostDownlinks = 0;
        scheduler.tell(new RoundClosed(round, polledInRound, received, new int[0]));
        rejected = 0;
    }
}
