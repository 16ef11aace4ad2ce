package io.tandem.setup;

import java.util.List;

/**
 * Discovery's answer: per node, every item checked, with what was found and, when it fails, the exact fix.
 *
 * @param ready true when no item FAILed on either node (WARN and UNCHECKED items do not stop setup)
 */
public record Checklist(List<NodeChecklist> nodes, boolean ready) {

    public enum Status { PASS, WARN, FAIL, UNCHECKED }

    /** One item: {@code id} is stable for automation (e.g. {@code pcs}, {@code pcsd-peer}, {@code existing-cluster}). */
    public record Check(String id, String title, Status status, String found, String fix) {
    }

    public record NodeChecklist(String node, String address, List<Check> checks) {
        public boolean failed() {
            return checks.stream().anyMatch(c -> c.status() == Status.FAIL);
        }
    }

    static Checklist of(List<NodeChecklist> nodes) {
        return new Checklist(List.copyOf(nodes), nodes.stream().noneMatch(NodeChecklist::failed));
    }
}
