package io.tandem.access.agent;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.tandem.access.NodeAccess;
import io.tandem.access.NodeAccessContract;
import io.tandem.access.NodeTarget;
import io.tandem.access.RecordedNode;
import io.tandem.agent.RunningAgent;
import io.tandem.agent.TestAgents;

/** The agent adapter against a real agent (HTTPS, token, pinned certificate) whose tool paths point at the recorded node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentNodeAccessTest extends NodeAccessContract {

    @TempDir
    static Path work;

    private RunningAgent agent;
    private TestAgents.Initialized initialized;
    private final AgentNodeAccess access = new AgentNodeAccess();
    private Path home;

    @BeforeAll
    void startAgent() throws Exception {
        Path bin = work.resolve("bin");
        new RecordedNode().installScripts(bin);
        home = createNfoHome(work);
        initialized = TestAgents.init(work.resolve("state"));
        agent = TestAgents.start(TestAgents.writeConfig(initialized, """
                tools:
                  sudo: false
                  paths:
                    systemctl: '%1$s/systemctl'
                    nft: '%1$s/nft'
                    crm_mon: '%1$s/crm_mon'
                    cibadmin: '%1$s/cibadmin'
                    pcs: '%1$s/pcs'
                    drbdsetup: '%1$s/no-drbdsetup'
                    drbdadm: '%1$s/no-drbdadm'
                capture:
                  source: none
                nfo:
                  home: '%2$s'
                  config:
                    include: ["server/etc/**"]
                    exclude: ["**/*.log"]
                limits:
                  max-file-read-bytes: %3$d
                """.formatted(bin, home, MAX_FILE_BYTES)));
    }

    @AfterAll
    void stopAgent() {
        agent.close();
    }

    @Override
    protected NodeAccess access() {
        return access;
    }

    @Override
    protected NodeTarget target(String pin) {
        return target(NodeTarget.Transport.AGENT, "127.0.0.1", agent.port(), null, initialized.token(), pin, home);
    }

    @Override
    protected List<String> lastCall(String tool) throws java.io.IOException {
        return RecordedNode.lastCall(work.resolve("bin"), tool);
    }

    @Override
    protected String nodeKey() {
        return initialized.fingerprint();
    }
}
