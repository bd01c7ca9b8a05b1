package io.fedlink.actors;

import io.fedlink.actors.TrialLauncher.TrialDone;
import io.fedlink.core.metric.Nmse;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.MonitorMessage.DeviationReport;
import io.fedlink.protocol.MonitorMessage.DeviationSample;
import io.fedlink.protocol.MonitorMessage.RoundReport;
import io.fedlink.protocol.MonitorMessage.TrialEnded;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A trial's monitor in free-running mode: keeps every client's latest deviation, and at each server
 * aggregation measures the NMSE of the local models as they are at that moment, with the wall-clock
 * time since the start-up round closed.
 */
public final class FreeRunningMonitor extends AbstractBehavior<MonitorMessage> {

    private enum Flush implements MonitorMessage.Local {
        INSTANCE
    }

    private final TimerScheduler<MonitorMessage> timers;
    private final int trial;
    private final int rounds;
    private final double optimumSquaredNorm;
    private final double[] latest;
    private final MetricsOutbox outbox;
    private final ActorRef<TrialDone> trialDone;
    private long startNanos;
    private int steps;
    private long clientUpdates;
    private int rejectedUploads;
    private int lastRound;
    private int startUpLostUplinks;

    private FreeRunningMonitor(ActorContext<MonitorMessage> context, TimerScheduler<MonitorMessage> timers, int trial,
                               int clients, int rounds, double optimumSquaredNorm, MetricsOutlet outlet,
                               ActorRef<TrialDone> trialDone) {
        super(context);
        this.timers = timers;
        this.trial = trial;
        this.rounds = rounds;
        this.optimumSquaredNorm = optimumSquaredNorm;
        this.latest = new double[clients];
        Arrays.fill(latest, Double.NaN);
        this.outbox = new MetricsOutbox(outlet);
        this.trialDone = trialDone;
    }

    public static Behavior<MonitorMessage> create(int trial, int clients, int rounds, double optimumSquaredNorm,
                                                  MetricsOutlet outlet, ActorRef<TrialDone> trialDone) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new FreeRunningMonitor(ctx, timers, trial, clients,
                rounds, optimumSquaredNorm, outlet, trialDone)));
    }

    @Override
    public Receive<MonitorMessage> createReceive() {
        return newReceiveBuilder()
                .onMessage(DeviationReport.class, this::onDeviationReport)
                .onMessage(DeviationSample.class, this::onDeviationSample)
                .onMessage(RoundReport.class, this::onRoundReport)
                .onMessage(TrialEnded.class, msg -> Behaviors.same())
                .onMessageEquals(Flush.INSTANCE, this::flush)
                .build();
    }

    private Behavior<MonitorMessage> onDeviationReport(DeviationReport report) {
        final int k = report.clientId();
        if (k >= 0 && k < latest.length && report.deviations().length > 0) {
            latest[k] = report.deviations()[report.deviations().length - 1];
        }
        return Behaviors.same();
    }

    private Behavior<MonitorMessage> onDeviationSample(DeviationSample sample) {
        if (sample.clientId() >= 0 && sample.clientId() < latest.length) {
            latest[sample.clientId()] = sample.deviation();
            steps++;
        }
        return Behaviors.same();
    }

    private Behavior<MonitorMessage> onRoundReport(RoundReport report) {
        if (report.round() == 0) {
            startUpLostUplinks = report.lostUplinks();
            startNanos = System.nanoTime();
            steps = 0;
            rejectedUploads += report.rejected();
            return Behaviors.same();
        }
        if (report.round() != lastRound + 1 || report.round() > rounds) {
            return Behaviors.same();
        }
        lastRound = report.round();
        final int startUpLost = report.round() == 1 ? startUpLostUplinks : 0;
        outbox.add(new RoundMetrics(trial, report.round(), Nmse.of(latest, null, latest.length, optimumSquaredNorm),
                report.polled(), report.received(),
                report.dropped().length, report.rejected(), steps, (System.nanoTime() - startNanos) / 1e9,
                latest.length, report.lostUplinks() + startUpLost, report.lostDownlinks()));
        clientUpdates += steps;
        rejectedUploads += report.rejected();
        steps = 0;
        return flush();
    }

    private Behavior<MonitorMessage> flush() {
        if (!outbox.flush()) {
            timers.startSingleTimer(Flush.INSTANCE, Duration.ofMillis(5));
            return Behaviors.same();
        }
        if (lastRound == rounds) {
            trialDone.tell(new TrialDone(new int[] {trial}, 0, rejectedUploads, clientUpdates));
            return Behaviors.stopped();
        }
        return Behaviors.same();
    }
}
