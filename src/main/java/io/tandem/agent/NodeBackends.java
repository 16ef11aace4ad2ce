package io.tandem.agent;

import java.util.Objects;
import java.util.function.Supplier;

import io.tandem.netflow.TemplateSnapshot;

import io.tandem.node.FileSource;
import io.tandem.node.LocalToolRunner;
import io.tandem.node.ToolRunner;

/**
 * Where the agent reads its node: this machine's tools and files (production), or a simulated node
 * (the demo lab), behind the same endpoints.
 */
public record NodeBackends(ToolRunner tools, FileSource files, Supplier<TemplateSnapshot> templates) {

    public NodeBackends {
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(templates, "templates");
    }

    /** Packet capture on the node is not wired into the agent yet: snapshots carry no template cache. */
    static final Supplier<TemplateSnapshot> NO_CAPTURE = () -> null;

    /** The node's own tools by the absolute paths in agent.yml, with sudo when configured. */
    static NodeBackends local(AgentConfig config) {
        return new NodeBackends(new LocalToolRunner(LocalToolRunner.Settings.defaults()
                .withSudo(config.tools().sudo())
                .withToolPaths(config.tools().paths())), FileSource.local(), NO_CAPTURE);
    }
}
