package io.fedlink.actors;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Writes a block's round state, each trial's to its own checkpoint (a file written and fsynced, then moved into place),
 * off the server's thread: it runs on Pekko's dispatcher for blocking work, so a slow disk delays the
 * checkpoint, never the federation.
 *
 * <p>Only the newest state matters for a restart, so the writer conflates: each record replaces its
 * slot's one not yet written and asks for a flush; when the flush comes (after every record that arrived
 * while the disk was busy) the newest is written once. The checkpoint is then as fresh as the disk
 * allows and the backlog stays bounded however often the server records. The first record reads
 * the interrupted run's state, and a record of the round it reached is checked against it, bit for
 * bit, whether or not it is the one written.
 */
final class RoundStateWriter {

    /** What the writer hears. */
    sealed interface Command permits Record, Flush, Drain {
    }

    /**
     * The server's round state in one slot (trial of its block) after {@code round}: its global model, its
     * broadcast and what else it carries ({@link io.fedlink.core.algorithm.ServerRule#checkpointState()});
     * the writer's own copies.
     */
    record Record(int slot, int round, double[] global, double[] broadcast, double[] hidden) implements Command {
    }

    /** Write the newest record not yet written. */
    enum Flush implements Command {
        INSTANCE
    }

    /**
     * The block is done: handle every record already sent (each checked and the newest written), then
     * stop. The block waits for that stop, so that a rerun's check of the interrupted round is never
     * lost to a block that ends first.
     */
    enum Drain implements Command {
        INSTANCE
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

    /**
     * The writer of a block's round state: each slot's to that trial's log.
     *
     * @param logs   each slot's log
     * @param trials each slot's trial, for the messages
     */
    static Behavior<Command> create(ExperimentCheckpoint.RoundStateLog[] logs, int[] trials) {
        return Behaviors.<Command>setup(ctx -> {
            final Record[] pending = new Record[logs.length];
            final boolean[] flushing = new boolean[1];
            return Behaviors.receive(Command.class)
                    .onMessage(Record.class, record -> {
                        final ExperimentCheckpoint.RoundStateLog log = logs[record.slot()];
                        if (record.round() == log.interruptedAt()) {
                            report(ctx, log.verify(record.round(), record.global(), record.broadcast(),
                                    record.hidden()), trials[record.slot()], record.round());
                        }
                        if (!flushing[0]) {
                            flushing[0] = true;
                            ctx.getSelf().tell(Flush.INSTANCE);
                        }
                        pending[record.slot()] = record;
                        return Behaviors.same();
                    })
                    .onMessageEquals(Flush.INSTANCE, () -> {
                        flushing[0] = false;
                        writePending(logs, pending);
                        return Behaviors.same();
                    })
                    .onMessageEquals(Drain.INSTANCE, () -> {
                        // Every record sent before the block ended is ahead of this in the mailbox: the
                        // check of the interrupted round has been made; write what is still pending.
                        writePending(logs, pending);
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }

    /** Writes each slot's newest record not yet written. */
    private static void writePending(ExperimentCheckpoint.RoundStateLog[] logs, Record[] pending) {
        for (int s = 0; s < pending.length; s++) {
            final Record newest = pending[s];
            pending[s] = null;
            if (newest != null) {
                logs[s].write(newest.round(), newest.global(), newest.broadcast(), newest.hidden());
            }
        }
    }

    private static void report(org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx,
                               ExperimentCheckpoint.RoundStateLog.Verification verification, int trial, int round) {
        switch (verification) {
            case MATCHED -> ctx.getLog().info("trial {}: round {} retraces the interrupted run's checkpoint bit for bit",
                    trial, round);
            case MISMATCHED -> ctx.getLog().error("trial {}: round {} differs from the interrupted run's checkpoint: the "
                    + "resumed experiment is not the one that was interrupted", trial, round);
            default -> { }
        }
    }
}
