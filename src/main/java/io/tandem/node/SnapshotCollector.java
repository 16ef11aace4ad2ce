package io.tandem.node;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tandem.netflow.TemplateSnapshot;

import io.tandem.node.NodeSnapshot.Format;
import io.tandem.node.NodeSnapshot.PartFailure;
import io.tandem.node.NodeSnapshot.ToolOutput;

/**
 * Assembles a {@link NodeSnapshot} with the node's own tools, through any {@link ToolRunner}: the
 * agent runs it locally, the SSH adapter over its connection. A node that cannot be reached at all
 * fails the whole snapshot; a single tool that fails (crm_mon down, DRBD absent) fails only its part.
 */
public final class SnapshotCollector {

    /**
     * @param expectDrbd Cold mode: a missing DRBD is a failure, not simply absent
     */
    public record Settings(NodeFactsCollector.Settings facts, Duration toolTimeout, boolean expectDrbd) {
        public Settings {
            Objects.requireNonNull(facts, "facts");
            Objects.requireNonNull(toolTimeout, "toolTimeout");
        }
    }

    static final List<String> CRM_MON = List.of("crm_mon", "--one-shot", "--output-as=xml");
    /** Pacemaker 1.1/2.0 spell it differently. */
    static final List<String> CRM_MON_LEGACY = List.of("crm_mon", "--one-shot", "--as-xml");
    /** The configuration, not only the constraints: adoption judges stickiness from the resource defaults and meta attributes. */
    static final List<String> CONSTRAINTS = List.of("cibadmin", "--query", "--scope", "configuration");
    static final List<String> DRBD_JSON = List.of("drbdsetup", "status", "--json", "--verbose", "--statistics");
    static final List<String> DRBD_TEXT = List.of("drbdadm", "status");
    static final String PROC_DRBD = "/proc/drbd";

    private final ToolRunner tools;
    private final FileSource files;
    private final Clock clock;
    private final Settings settings;
    private final NodeFactsCollector facts;
    private final TemplateSource templates;

    public SnapshotCollector(ToolRunner tools, FileSource files, Clock clock, Settings settings) {
        this(tools, files, clock, settings, TemplateSource.NONE);
    }

    /** @param templates the node's template cache (the agent's capture) */
    public SnapshotCollector(ToolRunner tools, FileSource files, Clock clock, Settings settings, TemplateSource templates) {
        this.templates = Objects.requireNonNull(templates, "templates");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.files = Objects.requireNonNull(files, "files");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.facts = new NodeFactsCollector(tools, files, clock, settings.facts());
    }

    public NodeSnapshot collect() throws NodeAccessException {
        List<PartFailure> failures = new ArrayList<>();
        // the first read proves the node is reachable; its failure is the node's failure
        HostFacts host = facts.host();
        ServiceState service = part("service", failures, facts::service);
        UdpFacts udp = part("udp", failures, facts::udp);
        GateState gate = part("gate", failures, facts::gate);
        ToolOutput crmMon = part("pacemaker", failures, this::crmMon);
        ToolOutput constraints = part("constraints", failures, this::constraints);
        ToolOutput drbd = part("drbd", failures, this::drbd);
        TemplateSnapshot cache = part("templates", failures, templates::read);
        GateAgentFacts gateAgent = part("gate-agent", failures, facts::gateAgent);
        return new NodeSnapshot(clock.instant(), host, service, udp, gate, crmMon, constraints, drbd, cache, failures, gateAgent);
    }

    /** crm_mon prints XML even when the cluster is down (the parser tells that apart), so any XML is kept. */
    ToolOutput crmMon() throws NodeAccessException {
        CommandResult current = tools.run(CRM_MON, settings.toolTimeout());
        if (looksLikeXml(current.stdout())) {
            return new ToolOutput(Format.CRM_MON_XML, current.stdout());
        }
        if (mentionsUnknownOption(current)) {
            CommandResult legacy = tools.run(CRM_MON_LEGACY, settings.toolTimeout());
            if (looksLikeXml(legacy.stdout())) {
                return new ToolOutput(Format.CRM_MON_XML, legacy.stdout());
            }
            current = legacy;
        }
        throw new NodeAccessException.BadAnswer("crm_mon exited " + current.exitCode() + " without XML: "
                + current.firstErrorLine(), null);
    }

    ToolOutput constraints() throws NodeAccessException {
        CommandResult result = tools.run(CONSTRAINTS, settings.toolTimeout());
        if (!result.succeeded() || !looksLikeXml(result.stdout())) {
            throw new NodeAccessException.BadAnswer("cibadmin exited " + result.exitCode() + ": " + result.firstErrorLine(), null);
        }
        return new ToolOutput(Format.CIB_CONSTRAINTS_XML, result.stdout());
    }

    /** DRBD 9 JSON first, then the text status, then DRBD 8.4's /proc/drbd; null when DRBD is simply not there. */
    ToolOutput drbd() throws NodeAccessException {
        NodeAccessException missing;
        try {
            CommandResult json = tools.run(DRBD_JSON, settings.toolTimeout());
            if (json.succeeded() && json.stdout().strip().startsWith("[")) {
                return new ToolOutput(Format.DRBD_STATUS_JSON, json.stdout());
            }
            CommandResult text = tools.run(DRBD_TEXT, settings.toolTimeout());
            if (text.succeeded() && !text.stdout().isBlank()) {
                return new ToolOutput(Format.DRBDADM_STATUS_TEXT, text.stdout());
            }
            missing = new NodeAccessException.BadAnswer("drbdsetup exited " + json.exitCode() + ": " + json.firstErrorLine(), null);
        } catch (NodeAccessException.ToolMissing e) {
            missing = e;
        }
        Optional<String> proc = files.read(PROC_DRBD);
        if (proc.isPresent() && !proc.get().isBlank()) {
            return new ToolOutput(Format.PROC_DRBD, proc.get());
        }
        if (settings.expectDrbd()) {
            throw missing;
        }
        return null;
    }

    private interface Part<T> {
        T read() throws NodeAccessException;
    }

    /** Reads one part; only its own failure is recorded, a lost connection still ends the snapshot. */
    private static <T> T part(String name, List<PartFailure> failures, Part<T> part) throws NodeAccessException {
        try {
            return part.read();
        } catch (NodeAccessException.Unreachable | NodeAccessException.AuthRefused | NodeAccessException.KeyRejected e) {
            throw e;
        } catch (NodeAccessException e) {
            failures.add(new PartFailure(name, e.reason(), e.getMessage()));
            return null;
        }
    }

    private static boolean looksLikeXml(String text) {
        return text != null && text.stripLeading().startsWith("<");
    }

    private static boolean mentionsUnknownOption(CommandResult result) {
        String all = (result.stderr() + "\n" + result.stdout()).toLowerCase(java.util.Locale.ROOT);
        return result.exitCode() == 64 || all.contains("unrecognized option") || all.contains("unknown option")
                || all.contains("invalid option");
    }
}
