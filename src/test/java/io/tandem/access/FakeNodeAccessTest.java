package io.tandem.access;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class FakeNodeAccessTest extends NodeAccessContract {

    @TempDir
    static Path work;

    private static Path home;

    private final FakeNodeAccess fake = new FakeNodeAccess();

    @BeforeAll
    static void createHome() throws IOException {
        home = createNfoHome(work);
    }

    @Override
    protected NodeAccess access() {
        return fake;
    }

    @Override
    protected NodeTarget target(String pin) {
        return target(NodeTarget.Transport.SSH, "127.0.0.1", 22, "tandem", "unused", pin, home);
    }

    @Override
    protected java.util.List<String> lastCall(String tool) {
        return fake.lastCall(tool);
    }

    @Override
    protected String nodeKey() {
        return FakeNodeAccess.KEY;
    }
}
