package io.fedlink.actors;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Writes a trial's round state to its checkpoint (a file written and fsynced, then moved into place),
 * off the server's thread: it runs on Pekko's dispatcher for blocking work, so a slow disk delays the
 * checkpoint, never the federation. Records are written in the order the server sends them; the
 * first one also reads the interrupted run's state and, at that round, checks the rerun against it.
 */
final class RoundStateWriter {

    /** The server's round state after {@code round}; the vectors are the writer's own copies. */
    record Record(int round, double[] global, double[] broadcast) {
    }

    /** What a server holds of its checkpoint: where to send its round state, and how often. */
    record Handle(ActorRef<Record> writer, int every) {

        /** True when the server should record this round. */
        boolean due(int round) {
            return round > 0 && round % every == 0;
        }
    }

    /** Where it runs: the dispatcher for blocking I/O. */
    static final Props PROPS = DispatcherSelector.blocking();

    private RoundStateWriter() {
    }

    /** @param trial for the log */
    static Behavior<Record> create(ExperimentCheckpoint.RoundStateLog log, int trial) {
        return Behaviors.receive((ctx, record) -> {
            switch (log.record(record.round(), record.global(), record.broadcast())) {
                case MATCHED -> ctx.getLog().info("trial {}: round {} retraces the interrupted run's checkpoint bit for bit",
                        trial, record.round());
                case MISMATCHED -> ctx.getLog().error("trial {}: round {} differs from the interrupted run's checkpoint: "
                        + "the resumed experiment is not the one that was interrupted", trial, record.round());
                default -> { }
            }
            return Behaviors.same();
        });
    }
}
