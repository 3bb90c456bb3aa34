package org.optbench.sweep;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the process that drives a sweep ({@code host/pid-namespace:pid:nonce}, kept in the store
 * with a claim that lapses unless renewed) and tells when a recorded driver has certainly
 * stopped: it ran on this host in this PID namespace and its process is gone, or it was a server
 * of this very process that has closed. Anything else (another host, another container) is
 * waited out until its claim lapses.
 */
final class SweepDrivers {

    /** How long a claim holds without renewal. */
    static final long CLAIM_MILLIS = 20_000;
    /** How often a driver renews its claims. */
    static final long RENEW_MILLIS = 5_000;

    /** The drivers of this process's open servers. */
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    private SweepDrivers() {
    }

    /** A fresh driver name for a server of this process, live until {@link #closed}. */
    static String open() {
        String name = place() + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().toHexDigits(
                new java.security.SecureRandom().nextInt());
        LIVE.add(name);
        return name;
    }

    /** The server of {@code driver} has closed. */
    static void closed(String driver) {
        LIVE.remove(driver);
    }

    /** Whether {@code driver} is known to have stopped (see the class comment); false when in doubt. */
    static boolean stopped(String driver) {
        if (driver == null) {
            return false;
        }
        String[] parts = driver.split(":");
        if (parts.length != 3 || !parts[0].equals(place())) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            if (pid == ProcessHandle.current().pid()) {
                return !LIVE.contains(driver);
            }
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The process part of a driver's name, for messages. */
    static String describe(String driver) {
        String[] parts = driver.split(":");
        return parts.length == 3 ? "process " + parts[1] + " on " + parts[0].replaceFirst("/.*", "") : driver;
    }

    /** This host and PID namespace: where a process id means the same process. */
    private static String place() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replace(':', '_').replace('/', '_');
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String namespace;
        try {
            namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replaceAll("[^0-9]", "");
        } catch (IOException | UnsupportedOperationException e) {
            namespace = "?";
        }
        return host + "/" + namespace;
    }
}
