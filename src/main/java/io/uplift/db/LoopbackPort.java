package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** TCP ports on 127.0.0.1, the only address Uplift's servers listen on. */
final class LoopbackPort {
    static final String ADDRESS = "127.0.0.1";

    private LoopbackPort() {
    }

    /**
     * A port that was free a moment ago. Another program may take it before the server binds it;
     * callers retry with a new one when the server reports "could not bind".
     */
    static int pickFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not find a free TCP port on " + ADDRESS
                    + ": " + e.getMessage() + ". Check the loopback interface, or configure a fixed port.", e);
        }
    }

    /** Whether nothing listens on {@code port} of 127.0.0.1 (or on all addresses). */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
