package io.fedlink.cli.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the dashboard listens: {@code [HOST:]PORT}, the host 127.0.0.1 unless one is named (an IPv6
 * address in brackets, {@code [::1]:8080}); port 0 takes any free port.
 */
public record DashboardAddress(String host, int port) {

    /** The host when none is named: loopback only, so that nothing off this machine can read a run. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Pattern FORM = Pattern.compile("(?:(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-]+):)?(\\d{1,5})");

    /**
     * Reads {@code [HOST:]PORT}.
     *
     * @throws IllegalArgumentException saying what is expected, when the text is not of that form or the
     *                                  port is out of range
     */
    public static DashboardAddress parse(String text) {
        final Matcher m = FORM.matcher(text.trim());
        final int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("expected [HOST:]PORT with PORT in 0..65535 (0: any free port), "
                    + "e.g. 8080 or 0.0.0.0:8080");
        }
        final String host = m.group(1) == null ? DEFAULT_HOST
                : m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        return new DashboardAddress(host, port);
    }

    /** Whether only this machine can reach the address (a name that does not resolve counts as not). */
    public boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The address as typed back: {@code HOST:PORT}, brackets around an IPv6 host. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
