package io.fedlink.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedlink.core.algorithm.FederatedAlgorithm;
import io.fedlink.core.data.FederatedProblem;
import io.fedlink.core.data.Partition;
import io.fedlink.core.data.RegressionTable;
import io.fedlink.core.data.SampleCounts;
import io.fedlink.core.data.TableReader;
import io.fedlink.core.engine.Experiment;
import io.fedlink.core.engine.SeriesSpec;
import io.fedlink.core.schedule.SchedulingPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A clients node with data from a file: its own clients' rows only, built exactly as one JVM builds them. */
class ClientsNodeDataTest {

    /** A table in memory that counts the rows it hands out and the rows of client 2..4 it was asked to keep. */
    private static final class MemoryTable implements TableReader {
        final double[][] rows = new double[40][];
        int handedOut;

        MemoryTable() {
            for (int r = 0; r < rows.length; r++) {
                final double a = Math.sin(r);
                final double b = Math.cos(3 * r) * 2;
                rows[r] = new double[] {a, b, 1.5 * a - b + 0.25};
            }
        }

        @Override
        public String name() {
            return "memory.csv";
        }

        @Override
        public List<String> columns() {
            return List.of("a", "b", "y");
        }

        @Override
        public String digest() {
            return "0";
        }

        @Override
        public void read(int[] columns, RowVisitor visitor) {
            final double[] values = new double[columns.length];
            for (int r = 0; r < rows.length; r++) {
                for (int i = 0; i < columns.length; i++) {
                    values[i] = rows[r][columns[i]];
                }
                handedOut++;
                visitor.row(r, values);
            }
        }
    }

    @Test
    void aClientsNodeBuildsOnlyItsOwnClientsFromTheirRowsAsOneJvmDoes() {
        final MemoryTable file = new MemoryTable();
        final RegressionTable table = RegressionTable.open(file, "y", null, null, true, new Partition.Iid(), 6, 3L);
        final Experiment experiment = new Experiment(6, 3, 1.0, SampleCounts.defaultFor(6), 10, 1, 3L,
                SchedulingPolicy.UNIFORM, List.of(new SeriesSpec(FederatedAlgorithm.RERCE, 3, 0.0, 0.0)), table);
        final FederatedProblem oneJvm = experiment.generateProblem();
        final int before = file.handedOut;
        final ClientsNodeData node = ClientsNodeData.generate(experiment, 2, 4);
        assertEquals(40, file.handedOut - before, "the node reads the file once");
        assertEquals(3, node.constants().length, "and builds clients 2..4 alone");
        final int[] counts = table.sampleCounts();
        final int[] partition = table.partitionOfRows();
        for (int k = 2; k <= 4; k++) {
            assertArrayEquals(oneJvm.client(k).localSolution(), node.constants()[k - 2].localSolution(), 0.0);
            assertArrayEquals(oneJvm.client(k).penalisedMatrix().data, node.constants()[k - 2].penalisedMatrix().data, 0.0);
            final int kept = experiment.clientData(k, k)[0].samples();
            final int client = k;
            assertEquals(counts[k], kept);
            assertEquals(java.util.Arrays.stream(partition).filter(c -> c == client).count(), kept,
                    "client " + k + " holds its rows of partition.csv");
        }
        assertArrayEquals(experiment.sampleCounts(), oneJvm.sampleCounts(), "the server knows d_k from the flags alone");
    }
}
