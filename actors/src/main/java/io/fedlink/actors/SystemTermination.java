package io.fedlink.actors;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminating an actor system without hanging on it. Pekko 1.7 can leave a system that never says it
 * has terminated: its last shutdown phase times out (a cluster node frozen with SIGSTOP, a federation of
 * a million client actors) and waits for its streams without a bound (apache/pekko#3317, fixed from
 * 2.0.0-M4, not available here). Work that is done must not wait for that: past a bound the caller goes
 * on, and the command line exits.
 */
public final class SystemTermination {

    /** How long a finished run waits for its actor system. */
    public static final Duration BOUND = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(SystemTermination.class);

    private SystemTermination() {
    }

    /**
     * Terminates {@code system} and waits for it at most {@link #BOUND}; past it, logs a warning (with the
     * actors still alive when {@code listAlive}: worth it on a node, not under a million clients) and returns.
     *
     * @param what what finished, for the warning ("the node's work", "the run")
     * @return true if the system terminated within the bound
     */
    public static boolean terminate(ActorSystem<?> system, String what, boolean listAlive) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            String alive = "";
            if (listAlive) {
                try {
                    alive = " Actors still alive:\n" + ((org.apache.pekko.actor.ActorSystemImpl) Adapter.toClassic(system))
                            .printTree();
                } catch (RuntimeException | LinkageError noTree) {
                    alive = " (the actor tree could not be listed: " + noTree + ")";
                }
            }
            LOG.warn("the actor system did not terminate within {} after {} was done; going on without it.{}",
                    BOUND, what, alive);
        } catch (ExecutionException e) {
            LOG.warn("the actor system terminated with {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
