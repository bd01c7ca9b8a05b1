package io.fedlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad flag is refused before any work starts, with exit status 2, a message that names the
 * flag and the value and says what is allowed, and no stack trace.
 */
class UsageErrorTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--selected 0                           | --selected 0        | 1..K",
        "--selected 101                         | --selected 101      | 1..K",
        "--clients 10 --selected 11             | --selected 11       | K = 10",
        "--algorithm dual-free --selected 4     | dual-free           | rerce",
        "--preset paper-fig4 --algorithm dual-free | dual-free        | rerce",
        "--rho 0                                | --rho 0.0           | positive",
        "--rho -1                               | --rho -1.0          | positive",
        "--link-noise -1e-3                     | --link-noise -0.001 | >= 0",
        "--uplink-noise -1                      | --uplink-noise -1.0 | >= 0",
        "--downlink-noise -1                    | --downlink-noise -1.0 | >= 0",
        "--link-noise NaN                       | --link-noise NaN    | finite",
        "--samples 9-3                          | --samples 9-3       | MIN <= MAX",
        "--samples 0-3                          | --samples 0-3       | 1 <= MIN",
        "--samples lots                         | --samples lots      | MIN-MAX",
        "--samples paper --clients 50           | --samples paper     | 100 clients",
        "--clients 2 --samples 2-3 --dim 128    | --samples 2-3       | w* is not determined",
        "--algorithm sgd                        | --algorithm sgd     | admm, dual-free, rerce, rerce-continual, fedavg, fedprox, scaffold",
        "--algorithm fedprox --mu -1            | --mu -1             | fedprox expects a number >= 0.0",
        "--algorithm fedavg --local-steps 0     | --local-steps 0     | fedavg expects a whole number in 1..10000",
        "--algorithm scaffold --step-size 2     | --step-size 2       | scaffold expects a number > 0.0 and < 2.0",
        "--algorithm fedavg --fedavg-weights d_k | --fedavg-weights d_k | fedavg expects samples or uniform",
        "--algorithm rerce --mu 0.1             | --mu 0.1            | no algorithm of this run takes it (fedprox does)",
        "--sweep mu=0.1,1                       | --mu 0.1            | fedprox does",
        "--target y                             | --target            | give --data FILE.csv too",
        "--preset paper-fig2                    | --preset paper-fig2 | paper-fig1",
        "--scheduler round-robin                | --scheduler round-robin | uniform or bernoulli",
        "--rounds 0                             | --rounds 0          | at least 1",
        "--trials 0                             | --trials 0          | at least 1",
        "--clients 0                            | --clients 0         | at least 1",
        "--dim 1                                | --dim 1             | at least 2",
        "--engine quantum                       | --engine quantum    | actors or reference",
        "--threads 0                            | --threads 0         | at least 1",
        "--mode async                           | --mode async        | lockstep or free-running",
        "--mode free-running --engine reference | --engine reference  | lockstep only",
        "--mode free-running --speed-spread 0.5 | --speed-spread 0.5  | 1..1000",
        "--mode free-running --server-period 0  | --server-period 0.0 | 1..60000",
        "--mode free-running --client-period -2 | --client-period -2.0 | 1..60000",
        "--rounds ten                           | --rounds            | 'ten' is not an int",
        "--frobnicate                           | --frobnicate        | Unknown option",
        "--clients 100000000                    | --clients 100000000 | GiB",
        "--selected 4,4                         | --selected 4,4      | 4 is given twice",
        "--algorithm rerce,rerce-continual,rerce | --algorithm rerce,rerce-continual,rerce | rerce is given twice",
        "--algorithm rerce,RERCE                | --algorithm rerce,rerce | rerce is given twice",
        "--link-noise 0.01,1e-2                 | --link-noise 0.01,0.01 | 0.01 is given twice",
        "--uplink-noise 0,0.0                   | --uplink-noise 0.0,0.0 | 0.0 is given twice",
        "--downlink-noise 1e-3,1e-2,1e-3        | --downlink-noise    | 0.001 is given twice",
        "--server-period 8                      | --server-period     | --mode free-running",
        "--mode lockstep --client-period 1      | --client-period     | --mode free-running",
        "--speed-spread 2                       | --speed-spread      | --mode free-running",
        "--sweep frobs=1,2                      | --sweep frobs=1,2   | no flag --frobs",
        "--sweep rho                            | --sweep rho         | NAME=V1,V2",
        "--sweep selected=4,25                  | --sweep selected=4,25 | --selected 4,25 instead",
        "--sweep quiet=1,2                      | --sweep quiet=1,2   | not a setting",
        "--sweep rho=1,1.0                      | --sweep rho=        | 1 is given twice",
        "--sweep rho=1,2 --rho 3                | --rho together      | leave --rho out",
        "--sweep rho=1,2 --sweep rho=3          | --sweep rho is given twice | one --sweep",
        "--sweep rho=1,-1                       | --sweep rho=-1      | positive",
        "--sweep clients=2,10 --selected 3      | --sweep clients=2   | --selected 3",
        "--dashboard web                        | --dashboard web     | [HOST:]PORT",
        "--dashboard 70000                      | --dashboard 70000   | PORT in 0..65535",
        "--dashboard localhost:                 | --dashboard localhost: | [HOST:]PORT",
        "--dashboard-linger 30                  | --dashboard-linger  | for --dashboard",
        "--dashboard 0 --dashboard-linger -1    | --dashboard-linger -1.0 | 0..604800",
        "--dashboard 0 --engine reference       | --dashboard         | --engine actors",
        "--sweep dashboard=1,2                  | --sweep dashboard=1,2 | not a setting",
    })
    void badFlagIsAUsageError(String args, String names, String allowed) {
        final SimulateCommandTest.Run run = SimulateCommandTest.run(
                ("simulate --out " + tmp.resolve("never") + " " + args).trim().split("\\s+"));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains(names), () -> "message should name '" + names + "': " + run.err());
        assertTrue(run.err().contains(allowed), () -> "message should say '" + allowed + "': " + run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        assertFalse(Files.exists(tmp.resolve("never").resolve("curves.csv")), "no work may start");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--role client --port 25599 --seed-nodes 127.0.0.1:25599                    | --role client",
        "--role clients --port 25599 --seed-nodes 127.0.0.1:25599                   | needs --clients FROM-TO",
        "--role clients --port 25599 --seed-nodes 127.0.0.1:25599 --clients 5-2     | --clients 5-2",
        "--role clients --port 25599 --seed-nodes 127.0.0.1:25599 --clients 0-100   | within 0..99",
        "--role clients --port 25599 --seed-nodes localhost --clients 0-9           | expected HOST:PORT",
        "--role clients --port 25599 --seed-nodes 127.0.0.1:25599 --clients 0-9 --checkpoint-every 5 | for --role server",
        "--role server --port 70000 --seed-nodes 127.0.0.1:25599                    | --port 70000",
        "--role server --port 25599 --seed-nodes 127.0.0.1:25599 --clients 0-9      | for --role clients",
        "--role server --port 25599 --seed-nodes 127.0.0.1:25599 --tls-keystore /nonexistent.p12 --tls-truststore /nonexistent.p12 | cannot read it",
        "--role server --port 25599 --seed-nodes 127.0.0.1:25599 --set pekko.cluster.roles=[ | --set",
        "--role clients --port 25599 --seed-nodes 127.0.0.1:25599 --clients 0-9 --dashboard 8080 | for --role server",
        "--role server --port 25599 --seed-nodes 127.0.0.1:25599 --dashboard :8080 | --dashboard :8080",
    })
    void badNodeFlagIsAUsageError(String args, String names) {
        final SimulateCommandTest.Run run = SimulateCommandTest.run(("node " + args).split("\\s+"));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains(names), () -> "message should say '" + names + "': " + run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--selected 2,2                         | --selected 2,2      | 2 is given twice",
        "--link-noise 1e-2,0.01                 | --link-noise 0.01,0.01 | given twice",
        "--sweep selected 2:6:9                 | --sweep selected 2:6:9 | whole numbers",
        "--sweep uplink 0.01:0.01:3             | FROM and TO are equal | STEPS 1",
        "--algorithm fedavg                     | --algorithm fedavg  | no exact theory for fedavg",
        "--algorithm scaffold                   | --algorithm scaffold | no exact theory for scaffold",
        "--algorithm sgd                        | --algorithm sgd     | fedavg, fedprox, scaffold",
    })
    void badTheoryFlagIsAUsageError(String args, String names, String allowed) {
        final SimulateCommandTest.Run run = SimulateCommandTest.run(
                ("theory --out " + tmp.resolve("never") + " " + args).trim().split("\\s+"));
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains(names), () -> "message should name '" + names + "': " + run.err());
        assertTrue(run.err().contains(allowed), () -> "message should say '" + allowed + "': " + run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void unwritableOutputFolderIsAUsageError() throws Exception {
        final Path file = tmp.resolve("a-file");
        Files.writeString(file, "not a folder");
        final SimulateCommandTest.Run run = SimulateCommandTest.run("simulate", "--rounds", "1", "--trials", "1",
                "--out", file.resolve("sub").toString());
        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().contains("--out " + file.resolve("sub")), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }
}
