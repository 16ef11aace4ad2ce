package io.tandem.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tandem.pacemaker.CibContents;
import io.tandem.pacemaker.PacemakerParseException;

/**
 * Setup's dry run on a node without a cluster: the plan's CIB changes applied with {@code pcs -f} to a new CIB file in a
 * scratch directory (pcs creates an empty CIB for a file that does not exist), {@code crm_simulate} on that file with
 * both nodes brought online and quorate, and for Cold the DRBD resource file parsed by {@code drbdadm -c FILE dump}.
 * Only the scratch directory is written; the caller removes it. The agent runs it locally, the SSH adapter remotely.
 */
public final class SetupDryRun {

    private static final int MAX_OUTPUT = 64 * 1024;

    /**
     * @param nodes the pair's node names as Pacemaker will know them (brought online in the simulation)
     * @param cibChanges pcs arguments after {@code pcs -f FILE}, in order
     * @param drbdConfig Cold: the DRBD resource file's text, else null
     */
    public record Request(List<String> nodes, List<List<String>> cibChanges, String drbdConfig) {
        public Request {
            nodes = List.copyOf(nodes);
            cibChanges = cibChanges.stream().map(List::copyOf).toList();
            if (nodes.size() != 2 || nodes.stream().anyMatch(n -> !SetupCommand.NODE.matcher(n).matches())) {
                throw new IllegalArgumentException("two node names are required: " + nodes);
            }
            CibChanges.requireAll(cibChanges);
            if (drbdConfig != null && drbdConfig.length() > 16 * 1024) {
                throw new IllegalArgumentException("the DRBD resource file is too large");
            }
        }
    }

    /**
     * One {@code pcs -f} command as it ran on the file. {@code said} is pcs's own words: warnings (an agent not yet
     * installed, such as ocf:tandem:gate, which setup installs first) or the refusal.
     */
    public record Applied(List<String> argv, boolean ok, String said) {
    }

    /**
     * @param refusal the first command that failed (its own words), or null when every one worked
     * @param added what the CIB holds after the changes that an empty one does not: the difference
     * @param transitions crm_simulate's Transition Summary: what Pacemaker would start where
     * @param revised crm_simulate's Revised Cluster Status: where each resource would run
     * @param drbdCheck Cold: what {@code drbdadm -c FILE dump} said (null for Hot)
     * @param drbdValid Cold: whether drbdadm parsed the file; null when not checked (Hot, or no drbdadm on the node)
     */
    public record Result(List<Applied> applied, String refusal, CibContents added, List<String> transitions, String revised,
                         String drbdCheck, Boolean drbdValid) {
        public Result {
            applied = List.copyOf(applied);
            transitions = List.copyOf(transitions);
        }
    }

    /** The node's scratch directory, made by the caller and removed by it afterwards. */
    public interface Scratch {
        String dir();

        void write(String name, String text) throws NodeAccessException;

        /** A directory on this machine (the agent's own node). */
        static Scratch local(java.nio.file.Path dir) {
            return new Scratch() {
                @Override
                public String dir() {
                    return dir.toString();
                }

                @Override
                public void write(String name, String text) throws NodeAccessException {
                    try {
                        java.nio.file.Files.writeString(dir.resolve(name), text);
                    } catch (java.io.IOException e) {
                        throw new NodeAccessException.PermissionDenied("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
                    }
                }
            };
        }
    }

    private SetupDryRun() {
    }

    public static Result run(ToolRunner tools, Scratch scratch, Request request, Duration timeout) throws NodeAccessException {
        String cib = scratch.dir() + "/cib.xml";
        List<Applied> applied = new ArrayList<>();
        for (List<String> change : request.cibChanges()) {
            // --force: pcs checks each agent's metadata on this node, and setup installs ocf:tandem:gate (and, for Cold,
            // drbd-utils' agent) only when it applies; pcs's warning is shown instead of stopping the dry run
            List<String> argv = new ArrayList<>(List.of("pcs", "-f", cib));
            argv.addAll(change);
            if (change.get(1).equals("create")) {
                argv.add("--force");
            }
            CommandResult result = tools.run(argv, timeout);
            Applied one = new Applied(argv, result.succeeded(), said(result));
            applied.add(one);
            if (!one.ok()) {
                return new Result(applied, "pcs refused " + String.join(" ", change) + " (exit " + result.exitCode() + "): "
                        + one.said(), null, List.of(), "", null, null);
            }
        }
        CommandResult written = tools.run(List.of("pcs", "-f", cib, "cluster", "cib"), timeout);
        CibContents added;
        try {
            added = CibContents.parse(written.stdout());
        } catch (PacemakerParseException e) {
            return new Result(applied, "pcs -f " + cib + " cluster cib printed no readable CIB: " + e.getMessage(), null,
                    List.of(), "", null, null);
        }
        List<String> simulate = new ArrayList<>(List.of("crm_simulate", "-x", cib, "-S", "-q", "true"));
        request.nodes().forEach(n -> simulate.addAll(List.of("-u", n)));
        CommandResult simulated = tools.run(simulate, timeout);
        if (!simulated.succeeded()) {
            return new Result(applied, "crm_simulate failed (exit " + simulated.exitCode() + "): " + said(simulated), added,
                    List.of(), "", null, null);
        }
        String output = simulated.stdout().length() > MAX_OUTPUT ? simulated.stdout().substring(0, MAX_OUTPUT) : simulated.stdout();
        String drbdCheck = null;
        Boolean drbdValid = null;
        if (request.drbdConfig() != null) {
            try {
                scratch.write("drbd.conf", request.drbdConfig());
                CommandResult dump = tools.run(List.of("drbdadm", "-c", scratch.dir() + "/drbd.conf", "dump"), timeout);
                drbdValid = dump.succeeded();
                drbdCheck = dump.succeeded() ? dump.stdout().strip() : said(dump);
            } catch (NodeAccessException.ToolMissing e) {
                drbdCheck = "not checked: drbdadm is not installed on this node (" + e.getMessage() + ")";
            } catch (NodeAccessException.PermissionDenied e) {
                // over SSH with sudo the scratch directory is root's, and the file goes in with the login's SFTP
                drbdCheck = "not checked: the file could not be written on this node (" + e.getMessage() + ")";
            }
        }
        return new Result(applied, null, added, NodeOperations.transitions(output),
                NodeOperations.section(output, "Revised Cluster Status:"), drbdCheck, drbdValid);
    }

    private static String said(CommandResult result) {
        String text = (result.stderr() == null ? "" : result.stderr().strip()) + "\n" + (result.stdout() == null ? "" : result.stdout().strip());
        text = text.strip();
        return text.length() > 2000 ? text.substring(0, 2000) + "…" : text;
    }
}
