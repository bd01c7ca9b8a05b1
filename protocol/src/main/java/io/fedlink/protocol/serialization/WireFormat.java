package io.fedlink.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * The wire format of every protocol message: one Kryo serializer per record, each registered under
 * an explicit, stable id. Kryo runs with registration required, so a payload naming any other class
 * is refused before anything is instantiated. Vectors travel as packed doubles behind their length;
 * a length above the configured limit, or beyond what the payload holds, is refused before anything
 * is allocated; so is a string (UTF-8 bytes behind their length) longer than 64 KiB. Actor references
 * travel as Pekko's serialization format, through {@link ActorRefResolver}.
 *
 * <p>The ids are part of the protocol: never reuse or renumber one; add new messages at new ids.
 */
public final class WireFormat {

    /** First id of ours; Kryo reserves 0-9 for its primitives. */
    private static final int FIRST_ID = 100;

    /** Longest string a message may carry (actor paths, algorithm names). */
    static final int MAX_TEXT_BYTES = 64 * 1024;

    private WireFormat() {
    }

    /** Registers every protocol message, with its serializer, on a fresh Kryo instance. */
    public static Kryo newKryo(ActorRefResolver resolver, int maxVectorLength) {
        final Kryo kryo = new Kryo(new RegisteredClassesOnly(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        final Limits limits = new Limits(resolver, maxVectorLength);
        int id = FIRST_ID;
        kryo.register(ClientMessage.StartUp.class, new StartUpSerializer(limits), id++);          // 100
        kryo.register(ClientMessage.GlobalModel.class, new GlobalModelSerializer(limits), id++);  // 101
        kryo.register(ClientMessage.FinishTrial.class, new FinishTrialSerializer(), id++);        // 102
        kryo.register(ServerMessage.RoundPlan.class, new RoundPlanSerializer(limits), id++);      // 103
        kryo.register(ServerMessage.LocalModel.class, new LocalModelSerializer(limits), id++);    // 104
        kryo.register(SchedulerMessage.RegisterClient.class, new RegisterClientSerializer(limits), id++); // 105
        kryo.register(SchedulerMessage.RoundClosed.class, new RoundClosedSerializer(limits), id++); // 106
        kryo.register(MonitorMessage.DeviationReport.class, new DeviationReportSerializer(limits), id++); // 107
        kryo.register(MonitorMessage.DeviationSample.class, new DeviationSampleSerializer(), id++); // 108
        kryo.register(MonitorMessage.RoundReport.class, new RoundReportSerializer(limits), id++); // 109
        kryo.register(MonitorMessage.TrialEnded.class, new TrialEndedSerializer(limits), id++);   // 110
        kryo.register(NodeMessage.StartTrial.class, new StartTrialSerializer(limits), id++);      // 111
        kryo.register(NodeMessage.EndTrial.class, new EndTrialSerializer(), id++);                // 112
        kryo.register(NodeMessage.ExperimentOver.class, new ExperimentOverSerializer(limits), id++);    // 113
        kryo.register(CoordinatorMessage.ClientStatisticsReport.class, new StatisticsSerializer(limits), id++); // 114
        kryo.register(CoordinatorMessage.ClientNodeReady.class, new NodeReadySerializer(limits), id++); // 115
        kryo.register(NodeMessage.SendStatistics.class, new SendStatisticsSerializer(limits), id++); // 116
        return kryo;
    }

    /**
     * Resolves classes by registered id only. A payload that names a class (Kryo's encoding for an
     * unregistered one) is refused before the name is even looked up, so no class is loaded for it.
     */
    private static final class RegisteredClassesOnly extends DefaultClassResolver {
        @Override
        protected Registration readName(Input input) {
            throw new KryoException("the payload names a class; only registered Fedlink protocol messages are "
                    + "accepted");
        }
    }

    /** What the serializers need besides the stream: the ref resolver and the size limits. */
    record Limits(ActorRefResolver resolver, int maxVectorLength) {

        void writeRef(Output out, ActorRef<?> ref) {
            writeText(out, ref == null ? null : resolver.toSerializationFormat(ref));
        }

        <T> ActorRef<T> readRef(Input in) {
            final String path = readText(in, "actor reference");
            return path == null ? null : resolver.resolveActorRef(path);
        }

        /** A string as its UTF-8 bytes behind their length (0 for null, length + 1 otherwise). */
        void writeText(Output out, String text) {
            if (text == null) {
                out.writeVarInt(0, true);
                return;
            }
            final byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeVarInt(bytes.length + 1, true);
            out.writeBytes(bytes);
        }

        String readText(Input in, String what) {
            final int declared = in.readVarInt(true);
            if (declared == 0) {
                return null;
            }
            final int length = declared - 1;
            if (length < 0 || length > MAX_TEXT_BYTES) {
                throw new KryoException(what + " of " + length + " bytes refused: the limit is " + MAX_TEXT_BYTES);
            }
            requireRemaining(in, length, what);
            return new String(in.readBytes(length), java.nio.charset.StandardCharsets.UTF_8);
        }

        void writeDoubles(Output out, double[] values) {
            out.writeVarInt(values.length, true);
            out.writeDoubles(values, 0, values.length);
        }

        double[] readDoubles(Input in, String what) {
            final int length = checkedLength(in, what);
            requireRemaining(in, (long) length * Double.BYTES, what);
            return in.readDoubles(length);
        }

        void writeInts(Output out, int[] values) {
            out.writeVarInt(values.length, true);
            out.writeInts(values, 0, values.length, false);
        }

        int[] readInts(Input in, String what) {
            final int length = checkedLength(in, what);
            requireRemaining(in, length, what);                  // a varint takes at least one byte
            return in.readInts(length, false);
        }

        private int checkedLength(Input in, String what) {
            final int length = in.readVarInt(true);
            if (length < 0 || length > maxVectorLength) {
                throw new KryoException(what + " of length " + length + " refused: the limit is " + maxVectorLength
                        + " (fedlink.serialization.max-vector-length)");
            }
            return length;
        }

        /** Refuses a declared size the payload does not hold, before anything is allocated for it. */
        private static void requireRemaining(Input in, long bytes, String what) {
            final long remaining = in.limit() - in.position();
            if (bytes > remaining) {
                throw new KryoException(what + " declares " + bytes + " bytes but the payload holds " + remaining);
            }
        }
    }

    private static final class StartUpSerializer extends Serializer<ClientMessage.StartUp> {
        private final Limits limits;

        StartUpSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, ClientMessage.StartUp m) {
            out.writeLong(m.poll());
            limits.writeRef(out, m.replyTo());
        }

        @Override
        public ClientMessage.StartUp read(Kryo kryo, Input in, Class<? extends ClientMessage.StartUp> type) {
            final long poll = in.readLong();
            return new ClientMessage.StartUp(poll, limits.readRef(in));
        }
    }

    private static final class GlobalModelSerializer extends Serializer<ClientMessage.GlobalModel> {
        private final Limits limits;

        GlobalModelSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, ClientMessage.GlobalModel m) {
            out.writeVarInt(m.round(), true);
            out.writeLong(m.poll());
            limits.writeDoubles(out, m.vector());
            limits.writeRef(out, m.replyTo());
        }

        @Override
        public ClientMessage.GlobalModel read(Kryo kryo, Input in, Class<? extends ClientMessage.GlobalModel> type) {
            final int round = in.readVarInt(true);
            final long poll = in.readLong();
            final double[] vector = limits.readDoubles(in, "global model vector");
            return new ClientMessage.GlobalModel(round, poll, vector, limits.readRef(in));
        }
    }

    private static final class FinishTrialSerializer extends Serializer<ClientMessage.FinishTrial> {
        @Override
        public void write(Kryo kryo, Output out, ClientMessage.FinishTrial m) {
            out.writeVarInt(m.lastRound(), true);
        }

        @Override
        public ClientMessage.FinishTrial read(Kryo kryo, Input in, Class<? extends ClientMessage.FinishTrial> type) {
            return new ClientMessage.FinishTrial(in.readVarInt(true));
        }
    }

    private static final class RoundPlanSerializer extends Serializer<ServerMessage.RoundPlan> {
        private final Limits limits;

        RoundPlanSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, ServerMessage.RoundPlan m) {
            out.writeVarInt(m.round(), true);
            limits.writeInts(out, m.polled());
            for (ActorRef<ClientMessage> client : m.clients()) {
                limits.writeRef(out, client);
            }
            limits.writeRef(out, m.replyTo());
        }

        @Override
        public ServerMessage.RoundPlan read(Kryo kryo, Input in, Class<? extends ServerMessage.RoundPlan> type) {
            final int round = in.readVarInt(true);
            final int[] polled = limits.readInts(in, "round plan");
            final List<ActorRef<ClientMessage>> clients = new ArrayList<>(polled.length);
            for (int i = 0; i < polled.length; i++) {
                clients.add(limits.readRef(in));
            }
            return new ServerMessage.RoundPlan(round, polled, clients, limits.readRef(in));
        }
    }

    private static final class LocalModelSerializer extends Serializer<ServerMessage.LocalModel> {
        private final Limits limits;

        LocalModelSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, ServerMessage.LocalModel m) {
            out.writeVarInt(m.round(), true);
            out.writeVarInt(m.clientId(), true);
            out.writeLong(m.poll());
            limits.writeDoubles(out, m.vector());
        }

        @Override
        public ServerMessage.LocalModel read(Kryo kryo, Input in, Class<? extends ServerMessage.LocalModel> type) {
            final int round = in.readVarInt(true);
            final int clientId = in.readVarInt(true);
            final long poll = in.readLong();
            return new ServerMessage.LocalModel(round, clientId, poll, limits.readDoubles(in, "local model vector"));
        }
    }

    private static final class RegisterClientSerializer extends Serializer<SchedulerMessage.RegisterClient> {
        private final Limits limits;

        RegisterClientSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, SchedulerMessage.RegisterClient m) {
            out.writeVarInt(m.clientId(), true);
            limits.writeRef(out, m.client());
        }

        @Override
        public SchedulerMessage.RegisterClient read(Kryo kryo, Input in,
                                                    Class<? extends SchedulerMessage.RegisterClient> type) {
            return new SchedulerMessage.RegisterClient(in.readVarInt(true), limits.readRef(in));
        }
    }

    private static final class RoundClosedSerializer extends Serializer<SchedulerMessage.RoundClosed> {
        private final Limits limits;

        RoundClosedSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, SchedulerMessage.RoundClosed m) {
            out.writeVarInt(m.round(), true);
            out.writeVarInt(m.polled(), true);
            out.writeVarInt(m.received(), true);
            limits.writeInts(out, m.dropped());
        }

        @Override
        public SchedulerMessage.RoundClosed read(Kryo kryo, Input in, Class<? extends SchedulerMessage.RoundClosed> type) {
            return new SchedulerMessage.RoundClosed(in.readVarInt(true), in.readVarInt(true), in.readVarInt(true),
                    limits.readInts(in, "dropped clients"));
        }
    }

    private static final class DeviationReportSerializer extends Serializer<MonitorMessage.DeviationReport> {
        private final Limits limits;

        DeviationReportSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, MonitorMessage.DeviationReport m) {
            out.writeVarInt(m.clientId(), true);
            out.writeVarInt(m.firstRound(), true);
            limits.writeDoubles(out, m.deviations());
        }

        @Override
        public MonitorMessage.DeviationReport read(Kryo kryo, Input in,
                                                   Class<? extends MonitorMessage.DeviationReport> type) {
            return new MonitorMessage.DeviationReport(in.readVarInt(true), in.readVarInt(true),
                    limits.readDoubles(in, "deviation report"));
        }
    }

    private static final class DeviationSampleSerializer extends Serializer<MonitorMessage.DeviationSample> {
        @Override
        public void write(Kryo kryo, Output out, MonitorMessage.DeviationSample m) {
            out.writeVarInt(m.clientId(), true);
            out.writeDouble(m.deviation());
        }

        @Override
        public MonitorMessage.DeviationSample read(Kryo kryo, Input in,
                                                   Class<? extends MonitorMessage.DeviationSample> type) {
            return new MonitorMessage.DeviationSample(in.readVarInt(true), in.readDouble());
        }
    }

    private static final class RoundReportSerializer extends Serializer<MonitorMessage.RoundReport> {
        private final Limits limits;

        RoundReportSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, MonitorMessage.RoundReport m) {
            out.writeVarInt(m.round(), true);
            out.writeVarInt(m.polled(), true);
            out.writeVarInt(m.received(), true);
            limits.writeInts(out, m.dropped());
            out.writeVarInt(m.rejected(), true);
        }

        @Override
        public MonitorMessage.RoundReport read(Kryo kryo, Input in, Class<? extends MonitorMessage.RoundReport> type) {
            return new MonitorMessage.RoundReport(in.readVarInt(true), in.readVarInt(true), in.readVarInt(true),
                    limits.readInts(in, "dropped clients"), in.readVarInt(true));
        }
    }

    private static final class TrialEndedSerializer extends Serializer<MonitorMessage.TrialEnded> {
        private final Limits limits;

        TrialEndedSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, MonitorMessage.TrialEnded m) {
            out.writeVarInt(m.lastRound(), true);
            limits.writeInts(out, m.stoppedClients());
            limits.writeInts(out, m.absentClients());
        }

        @Override
        public MonitorMessage.TrialEnded read(Kryo kryo, Input in, Class<? extends MonitorMessage.TrialEnded> type) {
            return new MonitorMessage.TrialEnded(in.readVarInt(true), limits.readInts(in, "stopped clients"),
                    limits.readInts(in, "absent clients"));
        }
    }

    private static final class StartTrialSerializer extends Serializer<NodeMessage.StartTrial> {
        private final Limits limits;

        StartTrialSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, NodeMessage.StartTrial m) {
            out.writeVarInt(m.trialKey(), true);
            out.writeVarInt(m.trial(), true);
            limits.writeText(out, m.algorithm());
            out.writeDouble(m.downlinkVariance());
            limits.writeDoubles(out, m.optimum());
            limits.writeRef(out, m.scheduler());
            limits.writeRef(out, m.monitor());
        }

        @Override
        public NodeMessage.StartTrial read(Kryo kryo, Input in, Class<? extends NodeMessage.StartTrial> type) {
            return new NodeMessage.StartTrial(in.readVarInt(true), in.readVarInt(true), limits.readText(in, "algorithm"),
                    in.readDouble(), limits.readDoubles(in, "w*"), limits.readRef(in), limits.readRef(in));
        }
    }

    private static final class EndTrialSerializer extends Serializer<NodeMessage.EndTrial> {
        @Override
        public void write(Kryo kryo, Output out, NodeMessage.EndTrial m) {
            out.writeVarInt(m.trialKey(), true);
        }

        @Override
        public NodeMessage.EndTrial read(Kryo kryo, Input in, Class<? extends NodeMessage.EndTrial> type) {
            return new NodeMessage.EndTrial(in.readVarInt(true));
        }
    }

    private static final class ExperimentOverSerializer extends Serializer<NodeMessage.ExperimentOver> {
        private final Limits limits;

        ExperimentOverSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, NodeMessage.ExperimentOver m) {
            limits.writeText(out, m.outcome());
        }

        @Override
        public NodeMessage.ExperimentOver read(Kryo kryo, Input in, Class<? extends NodeMessage.ExperimentOver> type) {
            return new NodeMessage.ExperimentOver(limits.readText(in, "outcome"));
        }
    }

    private static final class StatisticsSerializer extends Serializer<CoordinatorMessage.ClientStatisticsReport> {
        private final Limits limits;

        StatisticsSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, CoordinatorMessage.ClientStatisticsReport m) {
            out.writeVarInt(m.clientId(), true);
            limits.writeDoubles(out, m.gram());
            limits.writeDoubles(out, m.moment());
            out.writeDouble(m.weight());
        }

        @Override
        public CoordinatorMessage.ClientStatisticsReport read(Kryo kryo, Input in,
                Class<? extends CoordinatorMessage.ClientStatisticsReport> type) {
            return new CoordinatorMessage.ClientStatisticsReport(in.readVarInt(true), limits.readDoubles(in, "X^T X"),
                    limits.readDoubles(in, "X^T y"), in.readDouble());
        }
    }

    private static final class NodeReadySerializer extends Serializer<CoordinatorMessage.ClientNodeReady> {
        private final Limits limits;

        NodeReadySerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, CoordinatorMessage.ClientNodeReady m) {
            out.writeVarInt(m.firstClient(), true);
            out.writeVarInt(m.lastClient(), true);
            limits.writeText(out, m.federation());
            limits.writeRef(out, m.node());
        }

        @Override
        public CoordinatorMessage.ClientNodeReady read(Kryo kryo, Input in,
                                                       Class<? extends CoordinatorMessage.ClientNodeReady> type) {
            return new CoordinatorMessage.ClientNodeReady(in.readVarInt(true), in.readVarInt(true),
                    limits.readText(in, "federation"), limits.readRef(in));
        }
    }

    private static final class SendStatisticsSerializer extends Serializer<NodeMessage.SendStatistics> {
        private final Limits limits;

        SendStatisticsSerializer(Limits limits) {
            this.limits = limits;
        }

        @Override
        public void write(Kryo kryo, Output out, NodeMessage.SendStatistics m) {
            limits.writeRef(out, m.intake());
        }

        @Override
        public NodeMessage.SendStatistics read(Kryo kryo, Input in, Class<? extends NodeMessage.SendStatistics> type) {
            return new NodeMessage.SendStatistics(limits.readRef(in));
        }
    }
}
