package io.fedlink.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedlink.core.engine.Experiment;

/**
 * How the local actor engine sizes itself to the machine: the ActorSystem's configuration and the
 * number of trials whose federations exist at once.
 */
final class EngineTuning {

    /**
     * Heap of one client actor with its cell, mailbox and decorator, beyond its vectors: `fedlink
     * scale` measures about 3.4 KB per client in all at L = 16 and T = 20 (docs/performance.md).
     */
    private static final long APPROXIMATE_ACTOR_BYTES = 2_500;

    private EngineTuning() {
    }

    /**
     * The ActorSystem's configuration: quiet logging; in free-running mode a 1 ms scheduler tick, so
     * that clients' clocks of a few milliseconds are kept (Pekko's default tick is 10 ms); and a
     * default dispatcher with one thread per core. Pekko's default of at least 8 threads put 8
     * threads on this project's 2 cores, where every message hop risked a context switch: paper-fig4
     * took 12.4 s with 8 threads and 8.3 s with 2 (`fedlink benchmark --engine actors`). Nothing in
     * the federation blocks a dispatcher thread: checkpoint files are written on Pekko's dispatcher
     * for blocking work. Stopping a system that held a few hundred thousand client actors takes longer
     * than the 10 s Pekko gives its last shutdown phase before it warns (`fedlink scale --clients
     * 200000` printed that warning after every run and terminated within 30 s): the phase waits as long
     * as the engine does ({@link SystemTermination#BOUND}).
     */
    static Config config(FederationMode mode) {
        final String tick = mode instanceof FederationMode.FreeRunning ? "pekko.scheduler.tick-duration = 1ms\n" : "";
        final int cores = Runtime.getRuntime().availableProcessors();
        final String threads = "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = " + cores + "\n"
                + "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = " + cores + "\n";
        final String terminate = "pekko.coordinated-shutdown.phases.actor-system-terminate.timeout = "
                + SystemTermination.BOUND.toSeconds() + "s\n";
        return ConfigFactory.parseString(tick + threads + terminate + """
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """).withFallback(ConfigFactory.load());
    }

    /**
     * Federations at once: the configured bound, lowered so that the federations alive together take at
     * most half the heap (a federation holds K client actors, each with up to 12 vectors of length L per trial
     * of its block, and its monitor up to K x T deviations per trial).
     *
     * @param blockSize trials per federation
     */
    static int concurrentTrials(int maxConcurrentTrials, int blockSize, Experiment experiment) {
        final long affordable = Math.max(1, Runtime.getRuntime().maxMemory() / 2 / Math.max(1, bytes(experiment,
                blockSize)));
        final int blocks = (experiment.trials() + blockSize - 1) / blockSize;
        return (int) Math.min(Math.min(maxConcurrentTrials, affordable), blocks);
    }

    /** The block size asked for, lowered until at least one federation fits in half the heap. */
    static int blockSize(int blockSize, int maxConcurrentTrials, Experiment experiment) {
        int size = Math.max(1, blockSize);
        while (size > 1 && bytes(experiment, size) > Runtime.getRuntime().maxMemory() / 2) {
            size = (size + 1) / 2;
        }
        return size;
    }

    /** About the heap one federation of a block of {@code blockSize} trials takes. */
    private static long bytes(Experiment experiment, int blockSize) {
        return (long) experiment.clients() * (APPROXIMATE_ACTOR_BYTES + (long) blockSize
                * (12L * experiment.dimension() * Double.BYTES + (long) (experiment.rounds() + 1) * Double.BYTES));
    }
}
