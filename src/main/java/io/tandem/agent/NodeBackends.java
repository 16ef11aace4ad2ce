package io.tandem.agent;

import java.util.Objects;

import io.tandem.node.FileSource;
import io.tandem.node.LocalToolRunner;
import io.tandem.node.TemplateSource;
import io.tandem.node.ToolRunner;

/**
 * Where the agent reads its node: this machine's tools and files (production), or a simulated node
 * (the demo lab), behind the same endpoints.
 */
public record NodeBackends(ToolRunner tools, FileSource files, TemplateSource templates) {

    public NodeBackends {
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(templates, "templates");
    }

    /** The node's own tools by the absolute paths in agent.yml, with sudo when configured. */
    static NodeBackends local(AgentConfig config, TemplateSource templates) {
        return new NodeBackends(new LocalToolRunner(LocalToolRunner.Settings.defaults()
                .withSudo(config.tools().sudo())
                .withToolPaths(config.tools().paths())), FileSource.local(), templates);
    }
}
