package io.fedlink.protocol.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import io.fedlink.protocol.ClientMessage;
import io.fedlink.protocol.CoordinatorMessage;
import io.fedlink.protocol.FedlinkMessage;
import io.fedlink.protocol.MonitorMessage;
import io.fedlink.protocol.NodeMessage;
import io.fedlink.protocol.SchedulerMessage;
import io.fedlink.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * The wire format of every protocol message: a class tag, then the message's fields in the order its
 * serializer writes them, and nothing after. The tag is Kryo's: the message's registered id + 2 as a
 * varint (Kryo keeps 0 for null and 1 for a class named by the payload). Each field's encoding is
 * {@link WireFields}'s.
 *
 * <p>Reading never goes through Kryo's class resolution: {@link #read} reads the tag itself and
 * accepts only the ids listed in {@link #MESSAGES} (100 and up), refusing null, class names and the
 * ids Kryo registers for its own types (a String of declared length near 2^31, for one) before it
 * reads any other byte. Then the registered serializer reads the fields strictly, and bytes left
 * over are refused. So a payload either decodes to a message that re-encodes to the very same bytes,
 * or is refused with an {@link IllegalArgumentException}, with no allocation larger than what the
 * payload holds; a fuzz test (WireFuzzTest) holds the code to that under a 64 MB heap.
 *
 * <p>To add a message: a record under one of the sealed interfaces; a serializer below that writes
 * each field through {@link WireFields} and reads the fields back in the same order; a line in
 * {@link #MESSAGES} at the next free id; a sample of it in WireFuzzTest. The ids are part of the
 * protocol: never reuse or renumber one.
 */
public final class WireFormat {

    /** First id of ours; below it are Kryo's registrations of its own types, never read. */
    static final int FIRST_ID = 100;

    /** Every protocol message, its id and its serializer. New messages take the next id: 118, 119... */
    private static final List<Message<?>> MESSAGES = List.of(
            new Message<>(100, ClientMessage.StartUp.class, StartUpSerializer::new),
            new Message<>(101, ClientMessage.GlobalModel.class, GlobalModelSerializer::new),
            new Message<>(102, ClientMessage.FinishTrial.class, FinishTrialSerializer::new),
            new Message<>(103, ServerMessage.RoundPlan.class, RoundPlanSerializer::new),
            new Message<>(104, ServerMessage.LocalModel.class, LocalModelSerializer::new),
            new Message<>(105, SchedulerMessage.RegisterClient.class, RegisterClientSerializer::new),
            new Message<>(106, SchedulerMessage.RoundClosed.class, RoundClosedSerializer::new),
            new Message<>(107, MonitorMessage.DeviationReport.class, DeviationReportSerializer::new),
            new Message<>(108, MonitorMessage.DeviationSample.class, DeviationSampleSerializer::new),
            new Message<>(109, MonitorMessage.RoundReport.class, RoundReportSerializer::new),
            new Message<>(110, MonitorMessage.TrialEnded.class, TrialEndedSerializer::new),
            new Message<>(111, NodeMessage.StartTrial.class, StartTrialSerializer::new),
            new Message<>(112, NodeMessage.EndTrial.class, EndTrialSerializer::new),
            new Message<>(113, NodeMessage.ExperimentOver.class, ExperimentOverSerializer::new),
            new Message<>(114, CoordinatorMessage.ClientStatisticsReport.class, StatisticsSerializer::new),
            new Message<>(115, CoordinatorMessage.ClientNodeReady.class, NodeReadySerializer::new),
            new Message<>(116, NodeMessage.SendStatistics.class, SendStatisticsSerializer::new));
    // Retired ids, never to be reused: 117 (PollLost: a lost poll is now a LocalModel's `lost` slots).

    /** One protocol message: its wire id, its class, and how to make its serializer. */
    private record Message<M extends FedlinkMessage>(int id, Class<M> type,
                                                     Function<WireFields, Serializer<M>> serializer) {
        void registerOn(Kryo kryo, WireFields fields) {
            kryo.register(type, serializer.apply(fields), id);
        }
    }

    private WireFormat() {
    }

    /** A fresh Kryo instance with every protocol message registered; for one thread at a time. */
    public static Kryo newKryo(ActorRefResolver resolver, int maxVectorLength) {
        final Kryo kryo = new Kryo(new NoClassTags(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        final WireFields fields = new WireFields(resolver, maxVectorLength);
        for (Message<?> message : MESSAGES) {
            message.registerOn(kryo, fields);
        }
        return kryo;
    }

    /** The classes of the protocol's messages, in id order. */
    static List<Class<? extends FedlinkMessage>> messageTypes() {
        return MESSAGES.stream().<Class<? extends FedlinkMessage>>map(Message::type).toList();
    }

    /**
     * Writes a message, tag and fields, to {@code out}.
     *
     * @throws IllegalArgumentException if it is not a protocol message, a field is null, an array is
     *                                  longer than the limit or a string has no UTF-8 form
     */
    public static void write(Kryo kryo, Output out, Object message) {
        if (message == null) {
            throw new IllegalArgumentException("null is not a Fedlink protocol message");
        }
        final Registration registration = kryo.getClassResolver().getRegistration(message.getClass());
        if (registration == null || registration.getId() < FIRST_ID) {
            throw new IllegalArgumentException(message.getClass().getName()
                    + " is not a registered Fedlink protocol message");
        }
        out.writeVarInt(registration.getId() + 2, true);
        try {
            kryo.writeObject(out, message);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one message that fills {@code in} from its position to its limit.
     *
     * @throws IllegalArgumentException naming what is wrong, if the bytes are not exactly what
     *                                  {@link #write} makes of some message
     */
    public static FedlinkMessage read(Kryo kryo, Input in) {
        final int tag = WireFields.readVarInt(in, "class tag");
        final Registration registration = tag >= FIRST_ID + 2 ? kryo.getRegistration(tag - 2) : null;
        if (registration == null) {
            throw new IllegalArgumentException(switch (tag) {
                case 0 -> "null";
                case 1 -> "a class named by the payload";
                default -> "class id " + (tag - 2);
            } + " is not a Fedlink protocol message; only ids " + FIRST_ID + " and up are read");
        }
        final Class<?> type = registration.getType();
        final Object message;
        try {
            message = kryo.readObject(in, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(type.getSimpleName() + ": " + e.getMessage(), e);
        }
        if (in.position() != in.limit()) {
            throw new IllegalArgumentException(type.getSimpleName() + ": " + (in.limit() - in.position())
                    + " trailing bytes after the message");
        }
        return (FedlinkMessage) message;
    }

    /**
     * A class resolver that reads no class tags at all: {@link #read} reads the tag itself. A
     * serializer that asked Kryo to read a nested class and object would open the door to Kryo's own
     * registrations again; it fails here, loudly, instead.
     */
    private static final class NoClassTags extends DefaultClassResolver {
        @Override
        public Registration readClass(Input input) {
            throw new UnsupportedOperationException("class tags are read by WireFormat.read only");
        }
    }

    /** A protocol message's serializer: its fields through {@link WireFields}, in one fixed order. */
    private abstract static class MessageSerializer<M> extends Serializer<M> {
        final WireFields fields;

        MessageSerializer(WireFields fields) {
            this.fields = fields;
        }
    }

    private static final class StartUpSerializer extends MessageSerializer<ClientMessage.StartUp> {
        StartUpSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, ClientMessage.StartUp m) {
            fields.writeLong(out, m.poll());
            fields.writeInts(out, m.slots(), "slots");
            fields.writeRef(out, m.replyTo(), "replyTo");
        }

        @Override
        public ClientMessage.StartUp read(Kryo kryo, Input in, Class<? extends ClientMessage.StartUp> type) {
            final long poll = fields.readLong(in, "poll");
            final int[] slots = fields.readInts(in, "slots");
            return new ClientMessage.StartUp(poll, slots, fields.readRef(in, "replyTo"));
        }
    }

    private static final class GlobalModelSerializer extends MessageSerializer<ClientMessage.GlobalModel> {
        GlobalModelSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, ClientMessage.GlobalModel m) {
            fields.writeInt(out, m.round());
            fields.writeLong(out, m.poll());
            fields.writeInts(out, m.slots(), "slots");
            fields.writeVectors(out, m.vectors(), "vectors");
            fields.writeRef(out, m.replyTo(), "replyTo");
        }

        @Override
        public ClientMessage.GlobalModel read(Kryo kryo, Input in, Class<? extends ClientMessage.GlobalModel> type) {
            final int round = fields.readInt(in, "round");
            final long poll = fields.readLong(in, "poll");
            final int[] slots = fields.readInts(in, "slots");
            final double[][] vectors = fields.readVectors(in, slots.length, "vectors");
            return new ClientMessage.GlobalModel(round, poll, slots, vectors, fields.readRef(in, "replyTo"));
        }
    }

    private static final class FinishTrialSerializer extends MessageSerializer<ClientMessage.FinishTrial> {
        FinishTrialSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, ClientMessage.FinishTrial m) {
            fields.writeInt(out, m.lastRound());
        }

        @Override
        public ClientMessage.FinishTrial read(Kryo kryo, Input in, Class<? extends ClientMessage.FinishTrial> type) {
            return new ClientMessage.FinishTrial(fields.readInt(in, "lastRound"));
        }
    }

    private static final class RoundPlanSerializer extends MessageSerializer<ServerMessage.RoundPlan> {
        RoundPlanSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, ServerMessage.RoundPlan m) {
            fields.writeInt(out, m.round());
            fields.writeInts(out, m.clientIds(), "clientIds");
            for (ActorRef<ClientMessage> client : m.clients()) {   // one per polled client: no count of its own
                fields.writeRef(out, client, "clients");
            }
            fields.writeCount(out, m.polled().length, "polled");
            for (int[] slot : m.polled()) {
                fields.writeInts(out, slot, "polled");
            }
            fields.writeRef(out, m.replyTo(), "replyTo");
        }

        @Override
        public ServerMessage.RoundPlan read(Kryo kryo, Input in, Class<? extends ServerMessage.RoundPlan> type) {
            final int round = fields.readInt(in, "round");
            final int[] clientIds = fields.readInts(in, "clientIds");
            final List<ActorRef<ClientMessage>> clients = new ArrayList<>(clientIds.length);
            for (int i = 0; i < clientIds.length; i++) {
                clients.add(fields.readRef(in, "clients"));
            }
            final int slots = fields.readCount(in, 1, "polled");     // each slot's list takes at least a byte
            final int[][] polled = new int[slots][];
            for (int s = 0; s < slots; s++) {
                polled[s] = fields.readInts(in, "polled");
            }
            return new ServerMessage.RoundPlan(round, clientIds, clients, polled, fields.readRef(in, "replyTo"));
        }
    }

    private static final class LocalModelSerializer extends MessageSerializer<ServerMessage.LocalModel> {
        LocalModelSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, ServerMessage.LocalModel m) {
            fields.writeInt(out, m.round());
            fields.writeInt(out, m.clientId());
            fields.writeLong(out, m.poll());
            fields.writeInts(out, m.slots(), "slots");
            fields.writeVectors(out, m.vectors(), "vectors");
            fields.writeInts(out, m.lost(), "lost");
        }

        @Override
        public ServerMessage.LocalModel read(Kryo kryo, Input in, Class<? extends ServerMessage.LocalModel> type) {
            final int round = fields.readInt(in, "round");
            final int clientId = fields.readInt(in, "clientId");
            final long poll = fields.readLong(in, "poll");
            final int[] slots = fields.readInts(in, "slots");
            final double[][] vectors = fields.readVectors(in, slots.length, "vectors");
            return new ServerMessage.LocalModel(round, clientId, poll, slots, vectors, fields.readInts(in, "lost"));
        }
    }

    private static final class RegisterClientSerializer extends MessageSerializer<SchedulerMessage.RegisterClient> {
        RegisterClientSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, SchedulerMessage.RegisterClient m) {
            fields.writeInt(out, m.clientId());
            fields.writeRef(out, m.client(), "client");
        }

        @Override
        public SchedulerMessage.RegisterClient read(Kryo kryo, Input in,
                                                    Class<? extends SchedulerMessage.RegisterClient> type) {
            final int clientId = fields.readInt(in, "clientId");
            return new SchedulerMessage.RegisterClient(clientId, fields.readRef(in, "client"));
        }
    }

    private static final class RoundClosedSerializer extends MessageSerializer<SchedulerMessage.RoundClosed> {
        RoundClosedSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, SchedulerMessage.RoundClosed m) {
            fields.writeInt(out, m.round());
            fields.writeInt(out, m.polled());
            fields.writeInt(out, m.received());
            fields.writeInts(out, m.dropped(), "dropped");
        }

        @Override
        public SchedulerMessage.RoundClosed read(Kryo kryo, Input in, Class<? extends SchedulerMessage.RoundClosed> type) {
            final int round = fields.readInt(in, "round");
            final int polled = fields.readInt(in, "polled");
            final int received = fields.readInt(in, "received");
            return new SchedulerMessage.RoundClosed(round, polled, received, fields.readInts(in, "dropped"));
        }
    }

    private static final class DeviationReportSerializer extends MessageSerializer<MonitorMessage.DeviationReport> {
        DeviationReportSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, MonitorMessage.DeviationReport m) {
            fields.writeInt(out, m.clientId());
            fields.writeInt(out, m.firstRound());
            fields.writeDoubles(out, m.deviations(), "deviations");
        }

        @Override
        public MonitorMessage.DeviationReport read(Kryo kryo, Input in,
                                                   Class<? extends MonitorMessage.DeviationReport> type) {
            final int clientId = fields.readInt(in, "clientId");
            final int firstRound = fields.readInt(in, "firstRound");
            return new MonitorMessage.DeviationReport(clientId, firstRound, fields.readDoubles(in, "deviations"));
        }
    }

    private static final class DeviationSampleSerializer extends MessageSerializer<MonitorMessage.DeviationSample> {
        DeviationSampleSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, MonitorMessage.DeviationSample m) {
            fields.writeInt(out, m.clientId());
            fields.writeDouble(out, m.deviation());
        }

        @Override
        public MonitorMessage.DeviationSample read(Kryo kryo, Input in,
                                                   Class<? extends MonitorMessage.DeviationSample> type) {
            final int clientId = fields.readInt(in, "clientId");
            return new MonitorMessage.DeviationSample(clientId, fields.readDouble(in, "deviation"));
        }
    }

    private static final class RoundReportSerializer extends MessageSerializer<MonitorMessage.RoundReport> {
        RoundReportSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, MonitorMessage.RoundReport m) {
            fields.writeInt(out, m.slot());
            fields.writeInt(out, m.round());
            fields.writeInt(out, m.polled());
            fields.writeInt(out, m.received());
            fields.writeInts(out, m.dropped(), "dropped");
            fields.writeInt(out, m.rejected());
            fields.writeInt(out, m.lostUplinks());
            fields.writeInt(out, m.lostDownlinks());
        }

        @Override
        public MonitorMessage.RoundReport read(Kryo kryo, Input in, Class<? extends MonitorMessage.RoundReport> type) {
            final int slot = fields.readInt(in, "slot");
            final int round = fields.readInt(in, "round");
            final int polled = fields.readInt(in, "polled");
            final int received = fields.readInt(in, "received");
            final int[] dropped = fields.readInts(in, "dropped");
            final int rejected = fields.readInt(in, "rejected");
            final int lostUplinks = fields.readInt(in, "lostUplinks");
            return new MonitorMessage.RoundReport(slot, round, polled, received, dropped, rejected, lostUplinks,
                    fields.readInt(in, "lostDownlinks"));
        }
    }

    private static final class TrialEndedSerializer extends MessageSerializer<MonitorMessage.TrialEnded> {
        TrialEndedSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, MonitorMessage.TrialEnded m) {
            fields.writeInt(out, m.lastRound());
            fields.writeInts(out, m.stoppedClients(), "stoppedClients");
            fields.writeInts(out, m.absentClients(), "absentClients");
        }

        @Override
        public MonitorMessage.TrialEnded read(Kryo kryo, Input in, Class<? extends MonitorMessage.TrialEnded> type) {
            final int lastRound = fields.readInt(in, "lastRound");
            final int[] stopped = fields.readInts(in, "stoppedClients");
            return new MonitorMessage.TrialEnded(lastRound, stopped, fields.readInts(in, "absentClients"));
        }
    }

    private static final class StartTrialSerializer extends MessageSerializer<NodeMessage.StartTrial> {
        StartTrialSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, NodeMessage.StartTrial m) {
            fields.writeInt(out, m.trialKey());
            fields.writeInt(out, m.trial());
            fields.writeText(out, m.algorithm(), "algorithm");
            fields.writeDouble(out, m.downlinkVariance());
            fields.writeDoubles(out, m.optimum(), "optimum");
            fields.writeRef(out, m.scheduler(), "scheduler");
            fields.writeRef(out, m.monitor(), "monitor");
        }

        @Override
        public NodeMessage.StartTrial read(Kryo kryo, Input in, Class<? extends NodeMessage.StartTrial> type) {
            final int trialKey = fields.readInt(in, "trialKey");
            final int trial = fields.readInt(in, "trial");
            final String algorithm = fields.readText(in, "algorithm");
            final double downlinkVariance = fields.readDouble(in, "downlinkVariance");
            final double[] optimum = fields.readDoubles(in, "optimum");
            final ActorRef<SchedulerMessage.RegisterClient> scheduler = fields.readRef(in, "scheduler");
            return new NodeMessage.StartTrial(trialKey, trial, algorithm, downlinkVariance, optimum, scheduler,
                    fields.readRef(in, "monitor"));
        }
    }

    private static final class EndTrialSerializer extends MessageSerializer<NodeMessage.EndTrial> {
        EndTrialSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, NodeMessage.EndTrial m) {
            fields.writeInt(out, m.trialKey());
        }

        @Override
        public NodeMessage.EndTrial read(Kryo kryo, Input in, Class<? extends NodeMessage.EndTrial> type) {
            return new NodeMessage.EndTrial(fields.readInt(in, "trialKey"));
        }
    }

    private static final class ExperimentOverSerializer extends MessageSerializer<NodeMessage.ExperimentOver> {
        ExperimentOverSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, NodeMessage.ExperimentOver m) {
            fields.writeText(out, m.outcome(), "outcome");
        }

        @Override
        public NodeMessage.ExperimentOver read(Kryo kryo, Input in, Class<? extends NodeMessage.ExperimentOver> type) {
            return new NodeMessage.ExperimentOver(fields.readText(in, "outcome"));
        }
    }

    private static final class StatisticsSerializer extends MessageSerializer<CoordinatorMessage.ClientStatisticsReport> {
        StatisticsSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, CoordinatorMessage.ClientStatisticsReport m) {
            fields.writeInt(out, m.clientId());
            fields.writeDoubles(out, m.gram(), "gram");
            fields.writeDoubles(out, m.moment(), "moment");
            fields.writeDouble(out, m.weight());
        }

        @Override
        public CoordinatorMessage.ClientStatisticsReport read(Kryo kryo, Input in,
                Class<? extends CoordinatorMessage.ClientStatisticsReport> type) {
            final int clientId = fields.readInt(in, "clientId");
            final double[] gram = fields.readDoubles(in, "gram");
            final double[] moment = fields.readDoubles(in, "moment");
            return new CoordinatorMessage.ClientStatisticsReport(clientId, gram, moment, fields.readDouble(in, "weight"));
        }
    }

    private static final class NodeReadySerializer extends MessageSerializer<CoordinatorMessage.ClientNodeReady> {
        NodeReadySerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, CoordinatorMessage.ClientNodeReady m) {
            fields.writeInt(out, m.firstClient());
            fields.writeInt(out, m.lastClient());
            fields.writeText(out, m.federation(), "federation");
            fields.writeRef(out, m.node(), "node");
        }

        @Override
        public CoordinatorMessage.ClientNodeReady read(Kryo kryo, Input in,
                                                       Class<? extends CoordinatorMessage.ClientNodeReady> type) {
            final int firstClient = fields.readInt(in, "firstClient");
            final int lastClient = fields.readInt(in, "lastClient");
            final String federation = fields.readText(in, "federation");
            return new CoordinatorMessage.ClientNodeReady(firstClient, lastClient, federation, fields.readRef(in, "node"));
        }
    }


    private static final class SendStatisticsSerializer extends MessageSerializer<NodeMessage.SendStatistics> {
        SendStatisticsSerializer(WireFields fields) {
            super(fields);
        }

        @Override
        public void write(Kryo kryo, Output out, NodeMessage.SendStatistics m) {
            fields.writeRef(out, m.intake(), "intake");
        }

        @Override
        public NodeMessage.SendStatistics read(Kryo kryo, Input in, Class<? extends NodeMessage.SendStatistics> type) {
            return new NodeMessage.SendStatistics(fields.readRef(in, "intake"));
        }
    }
}
