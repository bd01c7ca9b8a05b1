package io.fedlink.actors;

import io.fedlink.core.engine.ProgressListener;
import io.fedlink.core.engine.SeriesSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One series' metrics stream, the Pekko Streams graph every trial's monitor feeds:
 *
 * <pre>
 *   TrialMonitor x M --offer--> Source.queue --alsoTo--> progress
 *                                             --alsoTo--> checkpoint recorder (blocking dispatcher)
 *                                             --alsoTo--> round observer (the dashboard; only when given one)
 *                                             \--fold--> mean curve (trial order) --> CurveAccumulator
 * </pre>
 *
 * The queue is bounded: a monitor that finds it full holds its rounds and retries; nothing is dropped.
 * The graph runs on a dispatcher of its own ({@code fedlink.metrics-dispatcher}).
 */
final class MetricsGraph {

    private static final int QUEUE_SIZE = 4096;

    private MetricsGraph() {
    }

    /**
     * Materializes the graph of one series.
     *
     * @param accumulator the fold's start (it may already hold trials from a checkpoint)
     * @param checkpoint  where completed trials are recorded, or null
     * @param observer    told of every round, or null (then the graph has no such branch)
     * @return the queue monitors offer to, and the accumulator once the queue completes (or the failure)
     */
    static Pair<BoundedSourceQueue<RoundMetrics>, CompletionStage<CurveAccumulator>> run(
            ActorSystem<?> system, SeriesSpec series, int seriesIndex, int trials, int rounds,
            ProgressListener listener, CurveAccumulator accumulator, ExperimentCheckpoint checkpoint,
            RoundObserver observer) {
        Source<RoundMetrics, BoundedSourceQueue<RoundMetrics>> source = Source.<RoundMetrics>queue(QUEUE_SIZE)
                .alsoTo(progress(series, trials, rounds, listener));
        if (checkpoint != null) {
            source = source.alsoTo(recorder(system, checkpoint, seriesIndex, trials, rounds));
        }
        if (observer != null) {
            source = source.alsoTo(Sink.foreach(m -> observer.roundClosed(series, m)));
        }
        return source.toMat(Sink.fold(accumulator, CurveAccumulator::add), Keep.both())
                .withAttributes(ActorAttributes.dispatcher("fedlink.metrics-dispatcher"))
                .run(system);
    }

    /** The progress branch: tells the listener of each finished trial and what it went through. */
    private static Sink<RoundMetrics, ?> progress(SeriesSpec series, int trials, int rounds, ProgressListener listener) {
        final long[] dropped = new long[trials];
        return Sink.foreach(m -> {
            dropped[m.trial()] += m.dropped();
            if (m.round() == rounds) {
                listener.trialCompleted(series, m.trial());
                listener.trialAccount(series, m.trial(), m.clients(), dropped[m.trial()]);
            }
        });
    }

    /**
     * The checkpoint branch: a trial's rounds are written once its last round arrives. The write (a
     * file, fsynced) runs on Pekko's dispatcher for blocking work, one at a time, in arrival order.
     */
    private static Sink<RoundMetrics, ?> recorder(ActorSystem<?> system, ExperimentCheckpoint checkpoint,
                                                  int seriesIndex, int trials, int rounds) {
        final Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        @SuppressWarnings("unchecked")
        final List<RoundMetrics>[] pending = new List[trials];
        return Flow.<RoundMetrics>create()
                .mapAsync(1, m -> {
                    if (pending[m.trial()] == null) {
                        pending[m.trial()] = new ArrayList<>(rounds);
                    }
                    pending[m.trial()].add(m);
                    if (m.round() != rounds) {
                        return CompletableFuture.completedFuture(Done.getInstance());
                    }
                    final List<RoundMetrics> trial = pending[m.trial()];
                    pending[m.trial()] = null;
                    return CompletableFuture.supplyAsync(() -> {
                        checkpoint.trialCompleted(seriesIndex, m.trial(), trial);
                        return Done.getInstance();
                    }, blocking);
                })
                .to(Sink.ignore());
    }
}
