package io.tandem.node;

import io.tandem.netflow.TemplateSnapshot;

/** The node's NetFlow template cache, as far as the node's packet source has learned it. */
@FunctionalInterface
public interface TemplateSource {

    /** No packet source on this node: snapshots carry no template cache. */
    TemplateSource NONE = () -> null;

    /**
     * @return the cache now, or null when the node has no packet source
     * @throws NodeAccessException when the source exists but cannot see packets (capture tool missing, not permitted)
     */
    TemplateSnapshot read() throws NodeAccessException;
}
