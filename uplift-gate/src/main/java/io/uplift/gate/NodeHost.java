package io.uplift.gate;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's host name, as Uplift names nodes (the same rule as Uplift's KeysetRecord, so the two compare). */
final class NodeHost {
    private NodeHost() {}

    static String name() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
