package io.tandem.access.ssh;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every limit the SSH transport works within. Each network step has its own explicit timeout, so a
 * node that accepts TCP but never finishes the handshake cannot hold a poller for longer than planned.
 *
 * @param connectTimeout TCP connect plus key exchange (host key check included)
 * @param authTimeout public-key authentication
 * @param channelOpenTimeout opening an exec or SFTP channel on an established connection
 * @param commandTimeout the default for a command or an SFTP operation when the caller gives none
 * @param maxOutputBytes cap on each of stdout and stderr of one command; more is read and dropped
 * @param keepAlive interval of keep-alive requests on an open connection, which also detect a dead peer: three
 *        unanswered ones close the connection, which ends a read waiting on a node that went silent (cut off,
 *        not refusing) instead of letting it wait out the command timeout
 * @param idleClose a connection unused for this long is closed (it is re-opened on the next call)
 * @param maxFileReadBytes the largest configuration file read whole from a node (as the agent's
 *        {@code limits.max-file-read-bytes}); also the largest file hashed for a manifest or staged
 * @param maxStageBytes the most one staged change may upload in total (as the agent's {@code limits.max-upload-bytes})
 * @param operationTimeout a mutating command that may wait on the node: {@code systemctl restart}, {@code pcs resource
 *        move}, a commit's backup and swap (the agent allows the same 120 s)
 */
@ConfigurationProperties("tandem.ssh")
public record SshSettings(
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("5s") Duration authTimeout,
        @DefaultValue("5s") Duration channelOpenTimeout,
        @DefaultValue("30s") Duration commandTimeout,
        @DefaultValue("1048576") int maxOutputBytes,
        @DefaultValue("5s") Duration keepAlive,
        @DefaultValue("5m") Duration idleClose,
        @DefaultValue("16777216") long maxFileReadBytes,
        @DefaultValue("67108864") long maxStageBytes,
        @DefaultValue("120s") Duration operationTimeout) {

    public SshSettings {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(authTimeout, "authTimeout");
        requirePositive(channelOpenTimeout, "channelOpenTimeout");
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(keepAlive, "keepAlive");
        requirePositive(idleClose, "idleClose");
        requirePositive(operationTimeout, "operationTimeout");
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException("tandem.ssh.max-output-bytes must be positive");
        }
        if (maxFileReadBytes <= 0 || maxFileReadBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tandem.ssh.max-file-read-bytes must be 1.." + (Integer.MAX_VALUE - 8));
        }
        if (maxStageBytes <= 0) {
            throw new IllegalArgumentException("tandem.ssh.max-stage-bytes must be positive");
        }
    }

    /** The values used when nothing is configured. */
    public static SshSettings defaults() {
        return new SshSettings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(30), 1024 * 1024, Duration.ofSeconds(5), Duration.ofMinutes(5), 16L * 1024 * 1024,
                64L * 1024 * 1024, Duration.ofSeconds(120));
    }

    public SshSettings withCommandTimeout(Duration timeout) {
        return new SshSettings(connectTimeout, authTimeout, channelOpenTimeout, timeout, maxOutputBytes,
                keepAlive, idleClose, maxFileReadBytes, maxStageBytes, operationTimeout);
    }

    public SshSettings withMaxOutputBytes(int bytes) {
        return new SshSettings(connectTimeout, authTimeout, channelOpenTimeout, commandTimeout, bytes,
                keepAlive, idleClose, maxFileReadBytes, maxStageBytes, operationTimeout);
    }

    public SshSettings withIdleClose(Duration idle) {
        return new SshSettings(connectTimeout, authTimeout, channelOpenTimeout, commandTimeout, maxOutputBytes,
                keepAlive, idle, maxFileReadBytes, maxStageBytes, operationTimeout);
    }

    public SshSettings withMaxFileReadBytes(long bytes) {
        return new SshSettings(connectTimeout, authTimeout, channelOpenTimeout, commandTimeout, maxOutputBytes,
                keepAlive, idleClose, bytes, maxStageBytes, operationTimeout);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("tandem.ssh." + name + " must be positive, was " + value);
        }
    }
}
