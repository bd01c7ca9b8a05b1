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
     * for blocking work.
     */
    static Config config(FederationMode mode) {
        final String tick = mode instanceof FederationMode.FreeRunning ? "pekko.scheduler.tick-duration = 1ms\n" : "";
        final int cores = Runtime.getRuntime().availableProcessors();
        final String threads = "pekko.actor.default-dispatcher.fork-join-executor.parallelism-min = " + cores + "\n"
                + "pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = " + cores + "\n";
        return ConfigFactory.parseString(tick + threads + """
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """).withFallback(ConfigFactory.load());
    }

    /**
     * Trials at once: the configured bound, lowered so that the federations alive together take at
     * most half the heap (a trial holds K client actors with up to 12 L-vectors each, and its monitor up
     * to K x T deviations).
     */
    static int concurrentTrials(int maxConcurrentTrials, Experiment experiment) {
        final long perTrial = (long) experiment.clients()
                * (APPROXIMATE_ACTOR_BYTES + 12L * experiment.dimension() * Double.BYTES
                   + (long) (experiment.rounds() + 1) * Double.BYTES);
        final long affordable = Math.max(1, Runtime.getRuntime().maxMemory() / 2 / Math.max(1, perTrial));
        return (int) Math.min(Math.min(maxConcurrentTrials, affordable), experiment.trials());
    }
}
