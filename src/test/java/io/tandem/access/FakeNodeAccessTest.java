package io.tandem.access;

class FakeNodeAccessTest extends NodeAccessContract {

    private final FakeNodeAccess fake = new FakeNodeAccess();

    @Override
    protected NodeAccess access() {
        return fake;
    }

    @Override
    protected NodeTarget target(String pin) {
        return target(NodeTarget.Transport.SSH, "127.0.0.1", 22, "tandem", "unused", pin);
    }

    @Override
    protected String nodeKey() {
        return FakeNodeAccess.KEY;
    }
}
