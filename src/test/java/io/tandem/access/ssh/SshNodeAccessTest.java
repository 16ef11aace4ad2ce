package io.tandem.access.ssh;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeAccessContract;
import io.tandem.access.NodeTarget;
import io.tandem.access.RecordedNode;

/** The SSH adapter against a real SSH server running real commands, with the node's tools on its PATH. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshNodeAccessTest extends NodeAccessContract {

    @TempDir
    static Path work;

    private TestSshServer server;
    private SshConnections connections;
    private SshNodeAccess access;
    private String clientKey;
    private Path home;

    @BeforeAll
    void startNode() throws Exception {
        KeyPair client = TestKeys.ED25519.generate();
        clientKey = TestKeys.openSsh(client, null);
        server = TestSshServer.start(work, client.getPublic());
        new RecordedNode().installScripts(work.resolve("bin"));
        home = createNfoHome(work);
        connections = new SshConnections(SshSettings.defaults().withMaxFileReadBytes(MAX_FILE_BYTES));
        access = new SshNodeAccess(connections, Clock.systemUTC());
    }

    @AfterAll
    void stopNode() throws Exception {
        connections.close();
        server.close();
    }

    @Override
    protected NodeAccess access() {
        return access;
    }

    @Override
    protected NodeTarget target(String pin) {
        return target(NodeTarget.Transport.SSH, "127.0.0.1", server.port(), TestSshServer.USER, clientKey, pin, home);
    }

    @Override
    protected String nodeKey() {
        return TestKeys.fingerprint(server.hostKey());
    }
}
