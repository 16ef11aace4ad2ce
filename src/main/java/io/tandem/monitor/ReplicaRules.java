package io.tandem.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tandem.drbd.DrbdConnection;
import io.tandem.drbd.DrbdPeerDevice;
import io.tandem.drbd.DrbdResource;
import io.tandem.fleet.ClusterMode;
import io.tandem.netflow.ParityReport;

/**
 * Whether the passive holds what it needs to take over: the configuration (DRBD in Cold mode, identical files in Hot
 * mode) and the NetFlow templates the active decodes with.
 */
final class ReplicaRules {

    private ReplicaRules() {
    }

    static void check(Evaluation e, List<Finding> out) {
        if (e.mode() == ClusterMode.COLD) {
            drbd(e, out);
        } else if (!e.observation().driftedFiles().isEmpty()) {
            out.add(drift(e));
        }
        ParityReport parity = e.observation().parity();
        if (parity != null) {
            templateGap(e, parity, out);
            staleTemplates(e, parity, out);
        }
    }

    private static Finding drift(Evaluation e) {
        List<String> files = e.observation().driftedFiles();
        String a = e.observation().a().node();
        String b = e.observation().b().node();
        String target = e.passiveNode().orElse("the passive");
        return new Finding(Severity.WARNING, Finding.Kind.CONFIG_DRIFT,
                "Configuration differs between " + a + " and " + b + ": " + Texts.count(files.size(), "file", "files"),
                "After a failover " + target + " runs a different configuration (outputs, filters, enrichment may "
                        + "differ). Copy the active's configuration to " + target + " and restart NFO there.",
                Texts.capped(files), null);
    }

    private static void drbd(Evaluation e, List<Finding> out) {
        String name = e.cluster().drbdResource();
        List<String> details = new ArrayList<>();
        List<DrbdResource> views = new ArrayList<>();
        for (NodeReading r : e.readings()) {
            if (!r.reachable()) {
                continue;
            }
            Optional<DrbdResource> view = r.drbdResource(name);
            if (view.isPresent()) {
                views.add(view.get());
                details.add(r.node() + ": " + describe(view.get()));
            } else {
                details.add(r.node() + ": " + (r.drbd() == null ? "no DRBD status" : "no DRBD resource " + name));
            }
        }
        boolean splitBrain = views.stream().anyMatch(DrbdResource::isSplitBrain)
                || (views.size() == 2 && views.get(0).isSplitBrainWith(views.get(1)));
        if (splitBrain) {
            out.add(new Finding(Severity.CRITICAL, Finding.Kind.DRBD_SPLIT_BRAIN,
                    "DRBD split brain on " + name + ": the two copies of the configuration have diverged",
                    "Replication has stopped and will not resume by itself; the passive's configuration no longer "
                            + "follows the active's. Choose the victim and run there: drbdadm connect --discard-my-data "
                            + name + ", then drbdadm connect " + name + " on the survivor.",
                    details, null));
            return;
        }
        Optional<DrbdResource> resyncing = views.stream().filter(DrbdResource::isResyncing).findFirst();
        if (resyncing.isPresent()) {
            DrbdResource r = resyncing.get();
            String progress = r.resyncPercentDone().isPresent() ? Texts.percent(r.resyncPercentDone().getAsDouble()) + " done" : "progress unknown";
            String eta = r.resyncEtaSeconds().isPresent()
                    ? ", about " + Texts.duration(java.time.Duration.ofSeconds(r.resyncEtaSeconds().getAsLong())) + " left" : "";
            out.add(new Finding(Severity.WARNING, Finding.Kind.DRBD_RESYNCING,
                    "DRBD " + name + " is resyncing: " + progress + eta,
                    "Until it finishes the target's copy is Inconsistent: a failover now could not start NFO there. "
                            + "Watch: drbdadm status " + name, details, null));
            return;
        }
        if (views.size() < e.readings().stream().filter(NodeReading::reachable).count()
                || views.stream().anyMatch(DrbdResource::isDegraded)) {
            String cause = views.stream().filter(DrbdResource::isDegraded).findFirst()
                    .map(r -> "DRBD " + name + " is not fully replicated: " + describe(r))
                    .orElse("DRBD " + name + " is missing on a node");
            out.add(new Finding(Severity.WARNING, Finding.Kind.DRBD_DEGRADED, cause,
                    "Changes on the active do not reach the passive: after a failover NFO starts with an older "
                            + "configuration, or cannot start. Check: drbdadm status " + name,
                    details, null));
        }
    }

    /** "Primary/UpToDate, nfo-b Connecting peer-disk DUnknown", in DRBD's own words. */
    private static String describe(DrbdResource r) {
        StringBuilder text = new StringBuilder(Roles.replicaState(r));
        if (r.suspended()) {
            text.append(" (I/O suspended)");
        }
        if (r.connections().isEmpty()) {
            text.append(", no peer connection");
        }
        for (DrbdConnection c : r.connections()) {
            text.append(", ").append(c.peerName()).append(' ').append(Roles.drbdWord(c.state()));
            for (DrbdPeerDevice p : c.peerDevices()) {
                text.append(" peer-disk ").append(Roles.drbdWord(p.peerDiskState()));
                if (p.replication().isResync()) {
                    text.append(' ').append(Roles.drbdWord(p.replication()));
                }
            }
        }
        return text.toString();
    }

    private static void templateGap(Evaluation e, ParityReport parity, List<Finding> out) {
        int missing = parity.missingOnPassive().size();
        int conflicting = parity.conflicts().size();
        if (missing == 0 && conflicting == 0 && parity.readiness() >= 1.0) {
            return;
        }
        String passive = e.passiveNode().orElse(null);
        String who = passive == null ? "The passive" : "Passive " + passive;
        List<String> gaps = new ArrayList<>();
        if (missing > 0) {
            gaps.add("lacks " + Texts.count(missing, "template", "templates"));
        }
        if (conflicting > 0) {
            gaps.add("holds " + Texts.count(conflicting, "conflicting template", "conflicting templates"));
        }
        if (gaps.isEmpty()) {
            gaps.add("is not ready for every template in use");
        }
        double exposed = parity.exposedRecordsPerSecond();
        List<String> details = new ArrayList<>();
        details.add(String.format(java.util.Locale.ROOT, "readiness %.0f%% (%d of %d in-use templates ready)",
                parity.readiness() * 100, parity.readyOnPassive(), parity.inUseOnActive()));
        parity.missingOnPassive().forEach(g -> details.add(g.key() + " " + g.kind() + ": missing on the passive"
                + (g.inUse() ? ", " + Texts.rate(g.recordsPerSecond()) : ", not in use")));
        parity.conflicts().forEach(c -> details.add(c.key() + ": different definition on the passive ("
                + Texts.count(c.fieldDiff().size(), "field differs", "fields differ") + "), "
                + Texts.rate(c.activeRecordsPerSecond())));
        boolean atStake = exposed > 0 || parity.readiness() < 1.0;
        out.add(new Finding(atStake ? Severity.WARNING : Severity.INFO, Finding.Kind.TEMPLATE_GAP,
                who + " " + String.join(" and ", gaps) + " (" + Texts.rate(exposed) + " would be dropped)",
                atStake ? "After a failover " + Texts.rate(exposed) + " would be dropped or misdecoded until the "
                        + "exporters resend their templates (typically 1-30 min). Check that every exporter sends to both nodes."
                        : "No data is at stake now (the templates are not in use), but the passive is not a copy of the active.",
                Texts.capped(details), passive));
    }

    private static void staleTemplates(Evaluation e, ParityReport parity, List<Finding> out) {
        if (parity.stale().isEmpty()) {
            return;
        }
        long onPassive = parity.stale().stream().filter(s -> s.side() == ParityReport.Side.PASSIVE).count();
        String passive = e.passiveNode().orElse("the passive");
        String active = e.activeNode().orElse("the active");
        List<String> details = parity.stale().stream().map(s -> s.key() + " on the " + s.side().name().toLowerCase(java.util.Locale.ROOT)
                + ": not refreshed for " + Texts.duration(java.time.Duration.ofMillis(parity.comparedAtMillis() - s.lastSeenMillis()))
                + " (refresh every " + Texts.duration(java.time.Duration.ofMillis(s.refreshIntervalMillis())) + ")").toList();
        out.add(new Finding(onPassive > 0 ? Severity.WARNING : Severity.INFO, Finding.Kind.STALE_TEMPLATES,
                Texts.count(parity.stale().size(), "stale template", "stale templates")
                        + (onPassive > 0 ? " (" + onPassive + " on " + passive + ")" : " on " + active),
                onPassive > 0 ? "An exporter may have stopped sending to " + passive + ": its templates there go out "
                        + "of date and would misdecode or drop data after a failover."
                        : "An exporter stopped refreshing templates: it may be gone or reconfigured.",
                Texts.capped(details), onPassive > 0 && e.passiveNode().isPresent() ? passive : null));
    }
}
