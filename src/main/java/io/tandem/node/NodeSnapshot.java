package io.tandem.node;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tandem.drbd.DrbdParseException;
import io.tandem.drbd.DrbdParser;
import io.tandem.drbd.DrbdStatus;
import io.tandem.netflow.TemplateSnapshot;
import io.tandem.pacemaker.Cib;
import io.tandem.pacemaker.CibParser;
import io.tandem.pacemaker.CrmMonParser;
import io.tandem.pacemaker.CrmMonResult;
import io.tandem.pacemaker.PacemakerParseException;

/**
 * Everything Tandem learned from one node at one moment, as it travels from the agent to the console
 * (JSON) or is assembled by the SSH adapter. The node's own facts are parsed where they were read;
 * Pacemaker and DRBD travel as the tools printed them, so one set of parsers (here, on the reading
 * side) judges every node the same way. A part that could not be read is null and listed in
 * {@link #failures()}; the rest of the snapshot still counts. {@link #templates()} is the node's
 * NetFlow template cache when the node has a packet source (the agent's capture), else null.
 * {@link #gateAgent()} is the installed gate OCF agent, null when unknown (not read). {@link #agentVersion()} is the
 * build of the Tandem agent that took the snapshot, as it says ({@link Version#parse} before trusting it); null when
 * read over SSH, or by an agent from before it said.
 */
public record NodeSnapshot(
        Instant takenAt,
        HostFacts host,
        ServiceState service,
        UdpFacts udp,
        GateState gate,
        ToolOutput crmMon,
        ToolOutput constraints,
        ToolOutput drbd,
        TemplateSnapshot templates,
        List<PartFailure> failures,
        GateAgentFacts gateAgent,
        String agentVersion) {

    public NodeSnapshot {
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** A snapshot without the gate agent part (unknown: an older agent, or a reader that does not look). */
    public NodeSnapshot(Instant takenAt, HostFacts host, ServiceState service, UdpFacts udp, GateState gate, ToolOutput crmMon,
                        ToolOutput constraints, ToolOutput drbd, TemplateSnapshot templates, List<PartFailure> failures) {
        this(takenAt, host, service, udp, gate, crmMon, constraints, drbd, templates, failures, null, null);
    }

    /** A snapshot as a reader without an agent assembles it (no agent build to report). */
    public NodeSnapshot(Instant takenAt, HostFacts host, ServiceState service, UdpFacts udp, GateState gate, ToolOutput crmMon,
                        ToolOutput constraints, ToolOutput drbd, TemplateSnapshot templates, List<PartFailure> failures,
                        GateAgentFacts gateAgent) {
        this(takenAt, host, service, udp, gate, crmMon, constraints, drbd, templates, failures, gateAgent, null);
    }

    /** This snapshot as the agent of build {@code version} hands it out. */
    public NodeSnapshot takenByAgent(String version) {
        return new NodeSnapshot(takenAt, host, service, udp, gate, crmMon, constraints, drbd, templates, failures, gateAgent, version);
    }

    /** What a tool printed, and in which of its formats. */
    public record ToolOutput(Format format, String text) {
    }

    /** CIB_CONSTRAINTS_XML keeps its name, which agents already send; it now holds the configuration scope. */
    public enum Format {
        CRM_MON_XML, CIB_CONSTRAINTS_XML, DRBD_STATUS_JSON, DRBDADM_STATUS_TEXT, PROC_DRBD
    }

    /**
     * @param part which part: host, service, udp, gate, pacemaker, constraints, drbd, gate-agent
     * @param reason the {@link NodeAccessException#reason()} in operator words
     */
    public record PartFailure(String part, String reason, String message) {
    }

    /** NFO runs and its output leaves the node (gate open, or no gate at all): this node feeds the SIEM. */
    public boolean outputOpen() {
        return gate != null && gate.status() != GateStatus.BLOCKED && service != null && service.running();
    }

    public Optional<PartFailure> failure(String part) {
        return failures.stream().filter(f -> f.part().equals(part)).findFirst();
    }

    /** Pacemaker's view from this node; empty when crm_mon could not be run. */
    public Optional<CrmMonResult> pacemaker() throws PacemakerParseException {
        return crmMon == null ? Optional.empty() : Optional.of(CrmMonParser.parse(crmMon.text()));
    }

    /**
     * The cluster's configuration ({@code cibadmin --query --scope configuration}; an older agent's snapshot holds the
     * constraints scope alone): its constraints (leftover move/ban constraints among them), resources and meta attributes.
     * Empty when unknown.
     */
    public Optional<Cib> cib() throws PacemakerParseException {
        return constraints == null ? Optional.empty() : Optional.of(CibParser.parse(constraints.text()));
    }

    /** DRBD as this node sees it; empty when DRBD is not installed or could not be read. */
    public Optional<DrbdStatus> drbdStatus() throws DrbdParseException {
        if (drbd == null) {
            return Optional.empty();
        }
        return Optional.of(switch (drbd.format()) {
            case DRBD_STATUS_JSON -> DrbdParser.statusJson(drbd.text());
            case DRBDADM_STATUS_TEXT -> DrbdParser.statusText(drbd.text());
            case PROC_DRBD -> DrbdParser.procDrbd(drbd.text());
            default -> throw new DrbdParseException("not a DRBD format: " + drbd.format());
        });
    }
}
