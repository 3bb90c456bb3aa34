package org.optbench.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * Names the process that drives a sweep ({@code host:pid:nonce}, kept in the store with a claim
 * that lapses unless renewed) and tells when a recorded driver has certainly stopped: it ran on
 * this host and its process is gone, or it was an earlier server of this very process.
 */
final class SweepDrivers {

    /** How long a claim holds without renewal. */
    static final long CLAIM_MILLIS = 20_000;
    /** How often a driver renews its claims. */
    static final long RENEW_MILLIS = 5_000;

    private SweepDrivers() {
    }

    /** A fresh driver name for this process. */
    static String newDriver() {
        return host() + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().toHexDigits(new java.security.SecureRandom()
                .nextInt());
    }

    /** Whether {@code driver} is known to have stopped (see the class comment); false when in doubt. */
    static boolean stopped(String driver) {
        if (driver == null) {
            return false;
        }
        String[] parts = driver.split(":");
        if (parts.length != 3 || !parts[0].equals(host())) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The process part of a driver's name, for messages. */
    static String describe(String driver) {
        String[] parts = driver.split(":");
        return parts.length == 3 ? "process " + parts[1] + " on " + parts[0] : driver;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(':', '_');
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
