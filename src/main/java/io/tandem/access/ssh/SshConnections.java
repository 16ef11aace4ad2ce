package io.tandem.access.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tandem.node.NodeAccessException;

/**
 * The SSH client of the console: one MINA {@link SshClient}, and one authenticated connection per
 * node that every call reuses (a handshake costs far more than a command). A connection found
 * broken is replaced on the next call; one unused for {@link SshSettings#idleClose()} is closed.
 * Thread-safe; close it on shutdown.
 */
public final class SshConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SshConnections.class);

    /** Used for host key probes, which never authenticate. */
    private static final String PROBE_USER = "tandem-probe";

    private final SshSettings settings;
    private final SshClient client;
    private final ScheduledExecutorService timer;
    private final ConcurrentMap<ConnectionKey, Slot> slots = new ConcurrentHashMap<>();

    public SshConnections(SshSettings settings) {
        this.settings = settings;
        this.client = newClient(settings);
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tandem-ssh-timer");
            thread.setDaemon(true);
            return thread;
        });
        long sweepMillis = Math.max(100, settings.idleClose().toMillis() / 2);
        timer.scheduleWithFixedDelay(this::closeIdle, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        client.start();
    }

    public SshSettings settings() {
        return settings;
    }

    /** Runs the target's tools; the connection is made on first use. */
    public SshToolRunner runner(SshTarget target) {
        return new SshToolRunner(this, target);
    }

    /** Reads and writes the target's files over SFTP, as the login user. */
    public SshFiles files(SshTarget target) {
        return new SshFiles(this, target);
    }

    /**
     * Asks a node for its host key without authenticating, so an admin can compare and pin it.
     *
     * @throws NodeAccessException Unreachable or TimedOut when no SSH server answered
     */
    public PresentedHostKey probeHostKey(String host, int port, Duration timeout) throws NodeAccessException {
        // A check with nothing pinned records the key and refuses it, which ends the handshake there.
        HostKeyCheck check = new HostKeyCheck(null);
        String step = "probing the host key of " + host + ":" + port;
        ClientSession session = null;
        try {
            session = connect(PROBE_USER, host, port, check, timeout);
            session.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), timeout);
        } catch (IOException | RuntimeException e) {
            if (check.presented() == null) {
                throw SshFailures.of(step, e, null);
            }
        } finally {
            closeQuietly(session);
        }
        if (check.presented() == null) {
            throw SshFailures.timedOut(step, timeout);
        }
        return check.presented();
    }

    /** How many node connections are open now. */
    public int openConnections() {
        return (int) slots.values().stream().filter(Slot::isOpen).count();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        slots.values().forEach(Slot::close);
        slots.clear();
        try {
            client.stop();
        } catch (RuntimeException e) {
            log.warn("Stopping the SSH client failed", e);
        }
    }

    /** Opens one channel for a target on its shared connection, given as an open step. */
    @FunctionalInterface
    interface ChannelOpener<C> {
        C open(ClientSession session, Duration timeout) throws IOException;
    }

    /**
     * Opens a channel on the target's connection, connecting first if needed. When the channel
     * cannot be opened because the kept connection turned out dead, it reconnects once: nothing ran
     * on the remote side yet, so trying again is safe.
     *
     * @param channelOf the channel inside what the opener returns, watched to know the connection is in use
     */
    <C> C openChannel(SshTarget target, ChannelOpener<C> opener, java.util.function.Function<C, Channel> channelOf)
            throws NodeAccessException {
        Slot slot = slots.computeIfAbsent(ConnectionKey.of(target), key -> new Slot());
        ClientSession session = slot.live(target);
        try {
            return slot.track(opener.open(session, settings.channelOpenTimeout()), channelOf);
        } catch (IOException | RuntimeException e) {
            if (session.isOpen() || SshFailures.isTimeout(e)) {
                throw SshFailures.of("opening a channel to " + target.address(), e, null);
            }
            slot.discard(session);
        }
        ClientSession fresh = slot.live(target);
        try {
            return slot.track(opener.open(fresh, settings.channelOpenTimeout()), channelOf);
        } catch (IOException | RuntimeException e) {
            throw SshFailures.of("opening a channel to " + target.address(), e, null);
        }
    }

    /** For deadlines of operations whose library calls have no timeout of their own (SFTP). */
    ScheduledExecutorService timer() {
        return timer;
    }

    private ClientSession connect(String user, String host, int port, HostKeyCheck check, Duration timeout)
            throws IOException {
        AttributeRepository context = AttributeRepository.ofKeyValuePair(HostKeyCheck.ATTRIBUTE, check);
        ConnectFuture future = client.connect(user, host, port, context);
        try {
            return future.verify(timeout).getSession();
        } catch (IOException | RuntimeException e) {
            // A connection completing after we gave up must not linger.
            future.addListener(late -> closeQuietly(late.isConnected() ? late.getSession() : null));
            future.cancel();
            throw e;
        }
    }

    private ClientSession authenticate(SshTarget target, ClientKey key) throws NodeAccessException {
        HostKeyCheck check = new HostKeyCheck(target.hostKeyFingerprint());
        ClientSession session = null;
        String connecting = "connecting to " + target.address();
        try {
            session = connect(target.user(), target.host(), target.port(), check, settings.connectTimeout());
            // The key exchange, and with it the host key check, belongs to connecting.
            Set<ClientSessionEvent> ready = session.waitFor(
                    EnumSet.of(ClientSessionEvent.WAIT_AUTH, ClientSessionEvent.CLOSED), settings.connectTimeout());
            if (check.rejected()) {
                throw SshFailures.of(connecting, new IOException("host key refused"), check);
            }
            if (ready.contains(ClientSessionEvent.TIMEOUT)) {
                throw SshFailures.timedOut(connecting + " (key exchange)", settings.connectTimeout());
            }
            if (ready.contains(ClientSessionEvent.CLOSED)) {
                throw new NodeAccessException.Unreachable(connecting + ": the server closed the connection", null);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            throw SshFailures.of(connecting, e, check);
        } catch (NodeAccessException e) {
            closeQuietly(session);
            throw e;
        }
        String authenticating = "authenticating " + target.address() + " with key " + key.fingerprint();
        try {
            session.addPublicKeyIdentity(key.keyPair());
            session.auth().verify(settings.authTimeout());
            return session;
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            if (SshFailures.isTimeout(e)) {
                throw SshFailures.of(authenticating, e, null);
            }
            throw new NodeAccessException.AuthRefused(authenticating + ": " + e.getMessage(), e);
        }
    }

    /** Closes idle connections but keeps their slots (one per node ever used), so no caller holds a stale one. */
    private void closeIdle() {
        long now = System.nanoTime();
        slots.values().forEach(slot -> slot.closeIfIdle(now, settings.idleClose().toNanos()));
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            session.close(true);
        }
    }

    private static SshClient newClient(SshSettings settings) {
        SshClient client = SshClient.setUpDefaultClient();
        // The default client trusts every host key and reads ~/.ssh: Tandem trusts only the pins and
        // the keys it was given.
        client.setServerKeyVerifier(HostKeyCheck.VERIFIER);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        // Every exchange is a small request waiting for a small answer: Nagle's algorithm would only
        // hold our packets back until the peer's delayed ACK.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.connectTimeout().plus(settings.authTimeout()));
        CoreModuleProperties.CHANNEL_OPEN_TIMEOUT.set(client, settings.channelOpenTimeout());
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, settings.channelOpenTimeout());
        // Keep-alive requests that want a reply: a peer that stops answering is declared dead and the
        // next call reconnects instead of waiting on a half-open TCP connection.
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.keepAlive());
        CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, settings.channelOpenTimeout());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        // Our own sweep closes idle connections; MINA's idle limit is only a backstop behind it.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.idleClose().plus(settings.keepAlive()).multipliedBy(2));
        return client;
    }

    /** What makes two targets share a connection; the key is named by a digest of its text. */
    private record ConnectionKey(String host, int port, String user, String keyDigest) {
        static ConnectionKey of(SshTarget target) {
            return new ConnectionKey(target.host().toLowerCase(java.util.Locale.ROOT), target.port(), target.user(),
                    ClientKey.digestOf(target));
        }
    }

    /** One node's connection; its lock makes concurrent first calls share one handshake. */
    private final class Slot {
        private ClientSession session;
        private ClientKey key;
        private final AtomicInteger channelsInUse = new AtomicInteger();
        private volatile long lastUsed = System.nanoTime();

        synchronized ClientSession live(SshTarget target) throws NodeAccessException {
            lastUsed = System.nanoTime();
            if (session != null && session.isOpen() && pinStillHolds(target)) {
                return session;
            }
            closeQuietly(session);
            session = null;
            if (key == null) {
                key = ClientKey.parse(target);
            }
            session = authenticate(target, key);
            return session;
        }

        /** An admin may re-pin while a connection is open; the connection must match the new pin. */
        private boolean pinStillHolds(SshTarget target) {
            String pinned = target.hostKeyFingerprint();
            return pinned != null && session.getServerKey() != null
                    && new HostKeyCheck(pinned).matches(session.getServerKey());
        }

        <C> C track(C opened, java.util.function.Function<C, Channel> channelOf) {
            channelsInUse.incrementAndGet();
            channelOf.apply(opened).addCloseFutureListener(closed -> {
                lastUsed = System.nanoTime();
                channelsInUse.decrementAndGet();
            });
            return opened;
        }

        synchronized void discard(ClientSession broken) {
            if (session == broken) {
                closeQuietly(session);
                session = null;
            }
        }

        synchronized void closeIfIdle(long now, long idleNanos) {
            if (session != null && channelsInUse.get() == 0 && now - lastUsed > idleNanos) {
                close();
            }
        }

        boolean isOpen() {
            ClientSession current = session;
            return current != null && current.isOpen();
        }

        synchronized void close() {
            closeQuietly(session);
            session = null;
        }
    }
}
