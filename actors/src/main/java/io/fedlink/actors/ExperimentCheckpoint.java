package io.fedlink.actors;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An experiment's checkpoint in a folder: every completed trial's measured rounds, and every N
 * rounds the server's round state of each running trial (round number, global model, the vector it
 * broadcasts, and whatever else its rule carries between rounds: its checkpoint state, empty for most). Every file is written to a temporary name and moved into place atomically, so a
 * crash leaves the previous version, never half a file.
 *
 * <p>A restarted run of the same experiment (same fingerprint: the command line that reproduces
 * it) skips the completed trials and reruns the interrupted ones. A trial depends only on its seed
 * and trial number, so the rerun retraces the interrupted one exactly; at the checkpointed round the
 * server compares its state with the one on file, bit for bit, before the run goes on.
 */
public final class ExperimentCheckpoint {

    private static final String FINGERPRINT = "experiment.txt";
    private static final Pattern TRIAL_FILE = Pattern.compile("trial-s(\\d+)-t(\\d+)\\.bin");
    /** "FDL2": version 2 records lost transmissions; a file of version 1 reads as damaged, and its trial runs again. */
    private static final int MAGIC = 0x46444c32;

    private final Path dir;
    private final int roundEvery;
    /** The round-state logs handed out, so that a trial's completion can close its log. */
    private final java.util.concurrent.ConcurrentHashMap<String, RoundStateLog> logs =
            new java.util.concurrent.ConcurrentHashMap<>();

    private ExperimentCheckpoint(Path dir, int roundEvery) {
        this.dir = dir;
        this.roundEvery = roundEvery;
    }

    /**
     * Opens (or starts) the checkpoint of the experiment described by {@code fingerprint}.
     *
     * @param roundEvery the server writes its round state every this many rounds (>= 1)
     * @throws IllegalStateException if the folder holds the checkpoint of another experiment
     */
    public static ExperimentCheckpoint open(Path dir, String fingerprint, int roundEvery) throws IOException {
        if (roundEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1 round, got " + roundEvery);
        }
        Files.createDirectories(dir);
        final Path file = dir.resolve(FINGERPRINT);
        if (Files.exists(file)) {
            final String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!existing.equals(fingerprint.trim())) {
                throw new IllegalStateException("the checkpoint in " + dir + " belongs to another experiment:\n  "
                        + existing + "\nnot to\n  " + fingerprint.trim());
            }
        } else {
            writeAtomically(file, (fingerprint.trim() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new ExperimentCheckpoint(dir, roundEvery);
    }

    /** Deletes a checkpoint folder's files (a fresh start). */
    public static void clear(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    public int roundEvery() {
        return roundEvery;
    }

    public Path directory() {
        return dir;
    }

    /** The completed trials of series {@code seriesIndex}, by trial number, each with its rounds 1..T. */
    public Map<Integer, List<RoundMetrics>> completedTrials(int seriesIndex, int rounds) {
        final Map<Integer, List<RoundMetrics>> done = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                final Matcher m = TRIAL_FILE.matcher(f.getFileName().toString());
                if (m.matches() && Integer.parseInt(m.group(1)) == seriesIndex) {
                    try {
                        final List<RoundMetrics> trial = readTrial(f, rounds);
                        done.put(Integer.parseInt(m.group(2)), trial);
                    } catch (IOException | RuntimeException unreadable) {
                        // A damaged record (a crash at the wrong moment): that trial simply runs again.
                        Files.deleteIfExists(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint in " + dir, e);
        }
        return done;
    }

    /** Records a completed trial. */
    public void trialCompleted(int seriesIndex, int trial, List<RoundMetrics> rounds) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(rounds.size());
            for (RoundMetrics r : rounds) {
                out.writeInt(r.trial());
                out.writeInt(r.round());
                out.writeDouble(r.nmse());
                out.writeInt(r.polled());
                out.writeInt(r.received());
                out.writeInt(r.dropped());
                out.writeInt(r.rejected());
                out.writeInt(r.clientUpdates());
                out.writeDouble(r.seconds());
                out.writeInt(r.clients());
                out.writeInt(r.lostUplinks());
                out.writeInt(r.lostDownlinks());
            }
            writeAtomically(dir.resolve("trial-s" + seriesIndex + "-t" + trial + ".bin"), bytes.toByteArray());
            // The trial is done: its round state goes, and a write still on its way is not made.
            roundState(seriesIndex, trial).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + dir, e);
        }
    }

    private static List<RoundMetrics> readTrial(Path file, int rounds) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a Fedlink checkpoint file");
            }
            final int count = in.readInt();
            if (count != rounds) {
                throw new IOException(file + " holds " + count + " rounds, expected " + rounds);
            }
            final RoundMetrics[] metrics = new RoundMetrics[count];
            for (int i = 0; i < count; i++) {
                metrics[i] = new RoundMetrics(in.readInt(), in.readInt(), in.readDouble(), in.readInt(), in.readInt(),
                        in.readInt(), in.readInt(), in.readInt(), in.readDouble(), in.readInt(), in.readInt(),
                        in.readInt());
            }
            return List.of(metrics);
        }
    }

    private Path roundStateFile(int seriesIndex, int trial) {
        return dir.resolve("round-s" + seriesIndex + "-t" + trial + ".bin");
    }

    /** The round-state logs of a block's trials, by slot. */
    public RoundStateLog[] roundStates(int seriesIndex, int[] trials) {
        final RoundStateLog[] logs = new RoundStateLog[trials.length];
        for (int s = 0; s < trials.length; s++) {
            logs[s] = roundState(seriesIndex, trials[s]);
        }
        return logs;
    }

    /** The server's round-state log for one trial (the same object for the same trial). */
    public RoundStateLog roundState(int seriesIndex, int trial) {
        return logs.computeIfAbsent(seriesIndex + "/" + trial,
                key -> new RoundStateLog(roundStateFile(seriesIndex, trial), roundEvery));
    }

    /**
     * The round state of one running trial: written every N rounds; and, when a previous run of the
     * trial was interrupted, the state it had reached, for the rerun to check itself against.
     */
    public static final class RoundStateLog {

        /** What recording a round found against the interrupted run's state. */
        public enum Verification {
            /** Nothing to compare at this round. */
            NONE,
            /** The rerun reached the interrupted run's state, bit for bit. */
            MATCHED,
            /** It did not: the checkpoint is not from this experiment, or something changed. */
            MISMATCHED
        }

        private final Path file;
        private final int every;
        private boolean loaded;
        private boolean closed;
        private int expectedRound = -1;
        private double[] expectedGlobal;
        private double[] expectedBroadcast;
        private double[] expectedHidden;
        private Verification lastVerification = Verification.NONE;

        /** Reads nothing yet: the interrupted run's state is read by the first {@link #record}, off the actors' threads. */
        RoundStateLog(Path file, int every) {
            this.file = file;
            this.every = every;
        }

        private void load() {
            loaded = true;
            if (Files.exists(file)) {
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
                    if (in.readInt() == MAGIC) {
                        final int round = in.readInt();
                        expectedGlobal = readVector(in);
                        expectedBroadcast = readVector(in);
                        expectedHidden = readVector(in);
                        expectedRound = round;
                    }
                } catch (IOException e) {
                    expectedRound = -1;                          // unreadable: nothing to compare
                }
            }
        }

        /** True when the server should record this round. */
        public boolean due(int round) {
            return round > 0 && round % every == 0;
        }

        /** The interval N: the server records every N-th round. */
        public int every() {
            return every;
        }

        /** The round the interrupted run had reached, or -1. Reads the file on first use. */
        public synchronized int interruptedAt() {
            if (!loaded) {
                load();
            }
            return expectedRound;
        }

        /**
         * Writes the round state (atomically, replacing the previous one) and compares it with the
         * interrupted run's state at the same round, if there is one.
         */
        public synchronized Verification record(int round, double[] global, double[] broadcast, double[] hidden) {
            final Verification verification = verify(round, global, broadcast, hidden);
            write(round, global, broadcast, hidden);
            return verification;
        }

        /** Compares a round's state with the interrupted run's, if that run reached this round. */
        public synchronized Verification verify(int round, double[] global, double[] broadcast, double[] hidden) {
            if (round != interruptedAt()) {
                return Verification.NONE;
            }
            lastVerification = Arrays.equals(global, expectedGlobal) && Arrays.equals(broadcast, expectedBroadcast)
                    && Arrays.equals(hidden, expectedHidden) ? Verification.MATCHED : Verification.MISMATCHED;
            return lastVerification;
        }

        /** What the rerun found when it reached the interrupted run's round; NONE until then. */
        public synchronized Verification lastVerification() {
            return lastVerification;
        }

        /**
         * Writes the round state (atomically, replacing the previous one), unless the interrupted run
         * got further: its state stays on file until the rerun passes it.
         */
        public synchronized void write(int round, double[] global, double[] broadcast, double[] hidden) {
            if (closed || round < interruptedAt()) {
                return;
            }
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(round);
                writeVector(out, global);
                writeVector(out, broadcast);
                writeVector(out, hidden);
                writeAtomically(file, bytes.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the round state to " + file, e);
            }
        }

        /** The trial is complete: removes its round state, and writes nothing more. */
        synchronized void close() throws IOException {
            closed = true;
            Files.deleteIfExists(file);
        }

        private static void writeVector(DataOutputStream out, double[] v) throws IOException {
            out.writeInt(v.length);
            for (double x : v) {
                out.writeDouble(x);
            }
        }

        private static double[] readVector(DataInputStream in) throws IOException {
            final int n = in.readInt();
            if (n < 0 || n > 1 << 24) {
                throw new IOException("implausible vector length " + n);
            }
            final double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = in.readDouble();
            }
            return v;
        }
    }

    /** Writes a file under a temporary name, then moves it into place atomically. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        final Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temporary,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE)) {
            final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);                                 // on disk before it takes the real name
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
