package io.tandem.access.ssh;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

import io.tandem.node.NodeAccessException;

/** Names the cause of a transport failure in the sealed family, by what is in the cause chain. */
final class SshFailures {

    private SshFailures() {
    }

    /**
     * @param step what we were doing, for the message ("connecting to root@db1:22")
     * @param check the host key decision of this connection, or null once the connection is established
     */
    static NodeAccessException of(String step, Throwable failure, HostKeyCheck check) {
        if (check != null && check.rejected()) {
            return new NodeAccessException.KeyRejected(check.pinned(), check.presented().fingerprint());
        }
        String message = step + ": " + describe(failure);
        if (isTimeout(failure)) {
            return new NodeAccessException.TimedOut(message, failure);
        }
        if (isUnreachable(failure)) {
            return new NodeAccessException.Unreachable(message, failure);
        }
        // The connection broke without a clearer cause (reset, closed by the peer): nothing usable answered.
        return new NodeAccessException.Unreachable(message, failure);
    }

    static NodeAccessException timedOut(String step, java.time.Duration limit) {
        return new NodeAccessException.TimedOut(step + ": no answer within " + io.tandem.node.Durations.words(limit), null);
    }

    static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException
                    || t instanceof InterruptedByTimeoutException) {
                return true;
            }
            // MINA reports a future that did not complete in time as a plain SshException.
            if (t.getMessage() != null && t.getMessage().contains("within specified timeout")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || t instanceof PortUnreachableException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == failure || failure.getMessage() == null ? text : failure.getMessage() + " (" + text + ")";
    }
}
