package io.fedlink.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A fault-injecting TCP proxy in front of one cluster node (the node's canonical port is the proxy's,
 * its bind port the real one). It forwards every connection until its link is cut; then it stops
 * forwarding in both directions, as a network partition does to TCP (nothing is lost: the bytes wait
 * in the sockets and flow again when the link heals, unless an end gave up and closed meanwhile).
 * Which connections a cut affects is decided by the peer's address at accept: nodes that are to be
 * cut off bind their outbound connections to an address of their own (Artery's
 * advanced.tcp.outbound-client-hostname, e.g. 127.0.0.2).
 */
final class ChaosProxy implements AutoCloseable {

    /** The state of the network: which nodes are cut off from the rest. Shared by every proxy. */
    static final class Partition {
        private boolean cut;

        synchronized void cut() {
            cut = true;
        }

        synchronized void heal() {
            cut = false;
            notifyAll();
        }

        synchronized boolean isCut() {
            return cut;
        }

        synchronized void awaitHealed() throws InterruptedException {
            while (cut) {
                wait();
            }
        }
    }

    private final ServerSocket server;
    private final int target;
    private final Partition partition;
    private final Predicate<InetAddress> cutOff;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /**
     * @param cutOff which peers' connections the partition cuts (all of them, in front of the node
     *               that is cut off; those from its address, in front of the others)
     */
    ChaosProxy(int port, int target, Partition partition, Predicate<InetAddress> cutOff) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress("127.0.0.1", port));
        this.target = target;
        this.partition = partition;
        this.cutOff = cutOff;
        final Thread acceptor = new Thread(this::accept, "chaos-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                final Socket downstream = server.accept();
                final Socket upstream = new Socket("127.0.0.1", target);
                downstream.setTcpNoDelay(true);                    // as Artery's own sockets: no Nagle delays
                upstream.setTcpNoDelay(true);
                sockets.add(downstream);
                sockets.add(upstream);
                final boolean affected = cutOff.test(downstream.getInetAddress());
                final AtomicInteger open = new AtomicInteger(2);
                pump(downstream, upstream, affected, open);
                pump(upstream, downstream, affected, open);
            } catch (IOException e) {
                // closed, or the node behind is down: the connecting side sees a reset and retries
            }
        }
    }

    /** Copies one direction; the second direction to finish closes both sockets. */
    private void pump(Socket from, Socket to, boolean affected, AtomicInteger open) {
        final Thread pump = new Thread(() -> {
            final byte[] buffer = new byte[64 * 1024];
            try {
                final InputStream in = from.getInputStream();
                final OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (affected) {
                        partition.awaitHealed();
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
                if (open.decrementAndGet() == 0) {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "chaos-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(ChaosProxy::closeQuietly);
    }
}
