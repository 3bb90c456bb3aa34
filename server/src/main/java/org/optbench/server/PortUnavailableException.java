package org.optbench.server;

/** The server cannot listen where it was asked to: the port is taken or the address is not this machine's. */
public final class PortUnavailableException extends IllegalArgumentException {

    PortUnavailableException(String host, int port, String what, Throwable cause) {
        super("cannot listen on " + host + ":" + port + " for " + what + " (" + rootMessage(cause) + "); another program "
                + "may hold the port: choose another, or 0 for any free one", cause);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
