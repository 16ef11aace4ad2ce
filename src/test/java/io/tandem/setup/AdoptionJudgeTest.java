package io.tandem.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterView;
import io.tandem.monitor.Severity;
import io.tandem.node.ActiveState;
import io.tandem.node.CommandResult;
import io.tandem.node.GateDestination;
import io.tandem.node.GateRule;
import io.tandem.node.OutputGate;
import io.tandem.node.ServiceState;
import io.tandem.pacemaker.CibParser;
import io.tandem.pacemaker.CrmMonParser;
import io.tandem.setup.Adoption.Difference;
import io.tandem.setup.AdoptionJudge.ClusterReading;
import io.tandem.support.SharedCorpus;

/**
 * Adoption judged on real outputs: the Pacemaker lab's pairs (lab/samples, built by the lab's script as setup's recipe
 * builds them, without fencing), the same Hot pair with its gate taken out, and a SUSE SAP cluster from the shared
 * corpus that has no NFO and three IPaddr2 resources.
 */
class AdoptionJudgeTest {

    private static final ServiceState DISABLED = service("disabled");

    private static String sample(String name) throws Exception {
        return Files.readString(Path.of("lab/samples", name));
    }

    private static ServiceState service(String unitFileState) {
        return new ServiceState("loaded", ActiveState.ACTIVE, "running", 4242, null, "", 0, unitFileState);
    }

    private static ClusterReading reading(String crmMon, String constraints, Map<String, ServiceState> services,
                                          List<GateDestination> outputs) throws Exception {
        return new ClusterReading("nfo-a", Instant.parse("2026-11-25T20:16:03Z"), CrmMonParser.parse(crmMon).status().orElseThrow(),
                constraints == null ? null : CibParser.parse(constraints), services, Set.of(), outputs);
    }

    private static Map<String, ServiceState> services(ServiceState a, ServiceState b) {
        Map<String, ServiceState> services = new LinkedHashMap<>();
        services.put("nfo-a", a);
        services.put("nfo-b", b);
        return services;
    }

    /** What the lab's passive gate drops (nft -j, recorded in the lab): NFO's two outputs. */
    private static List<GateDestination> labOutputs() throws Exception {
        return OutputGate.read(new CommandResult(0, sample("nft-gate-blocked-nfo-b.json"), "", false)).rules().stream()
                .filter(GateRule::gateDrop).map(GateRule::destination).toList();
    }

    private static String withoutGate(String crmMon) {
        return crmMon.replaceAll("(?s)<resource id=\"nfo-gate\".*?</resource>\\s*", "");
    }

    private static String constraintsWithoutGate(String constraints) {
        return constraints.lines().filter(l -> !l.contains("nfo-gate")).reduce("", (a, b) -> a + b + "\n");
    }

    private static List<String> ids(Adoption adoption) {
        return adoption.differences().stream().map(Difference::id).toList();
    }

    /** The lab's CIB (as setup's recipe builds it: stickiness 100) with these location constraints added. */
    private static String withLocations(String cib, String... locations) {
        String added = String.join("", List.of(locations).stream().map(l -> "      " + l + "\n").toList());
        return cib.contains("<constraints/>") ? cib.replace("<constraints/>", "<constraints>\n" + added + "    </constraints>")
                : cib.replace("    </constraints>", added + "    </constraints>");
    }

    /** The lab's CIB with its resource defaults' stickiness written as given, or with no resource defaults (null). */
    private static String withDefaultStickiness(String cib, String value) {
        return value == null ? cib.replaceAll("(?s)\\s*<rsc_defaults>.*?</rsc_defaults>", "")
                : cib.replace("name=\"resource-stickiness\" value=\"100\"", "name=\"resource-stickiness\" value=\"" + value + "\"");
    }

    /** The lab's Cold CIB with a meta attribute on its group. */
    private static String withGroupStickiness(String cib, String value) {
        return cib.replace("<group id=\"nfo-group\">", "<group id=\"nfo-group\">\n        <meta_attributes id=\"nfo-group-meta_attributes\">"
                + "<nvpair id=\"nfo-group-meta_attributes-resource-stickiness\" name=\"resource-stickiness\" value=\"" + value
                + "\"/></meta_attributes>");
    }

    private static Adoption hot(String cib) throws Exception {
        return AdoptionJudge.judge(SetupForms.pair(ClusterMode.HOT), reading(sample("crm_mon-hot-healthy.xml"), cib,
                services(DISABLED, DISABLED), labOutputs()));
    }

    private static Adoption cold(String cib) throws Exception {
        return AdoptionJudge.judge(SetupForms.pair(ClusterMode.COLD), reading(sample("crm_mon-cold-healthy.xml"), cib,
                services(DISABLED, DISABLED), List.of()));
    }

    private static Difference only(Adoption a, String id) {
        assertThat(a.differences()).filteredOn(d -> d.id().equals(id)).hasSize(1);
        return a.differences().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theLabsHotPairMapsToThePairAndDiffersOnlyByRunningWithoutFencing() throws Exception {
        ClusterView pair = SetupForms.pair(ClusterMode.HOT);
        Adoption a = AdoptionJudge.judge(pair, reading(sample("crm_mon-hot-healthy.xml"), sample("cibadmin-constraints-hot.xml"),
                services(DISABLED, DISABLED), labOutputs()));

        assertThat(a.mode()).isEqualTo(ClusterMode.HOT);
        assertThat(a.modeReason()).contains("nfo-clone");
        assertThat(a.proposed()).isEqualTo(new Adoption.Mapping(ClusterMode.HOT, "nfo", "nfo-vip", "nfo-gate", null));
        assertThat(a.found()).filteredOn(f -> f.role().equals("NFO")).singleElement()
                .satisfies(f -> assertThat(f.note()).contains("kept", "ocf:heartbeat:anything"));
        assertThat(a.found()).filteredOn(f -> f.role().equals("VIP")).singleElement()
                .satisfies(f -> assertThat(f.runningOn()).containsExactly("nfo-a"));
        assertThat(a.ambiguities()).isEmpty();
        assertThat(ids(a)).containsExactly("fencing-disabled");
        assertThat(a.differences().get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.differences().get(0).commands()).containsExactly(
                "pcs stonith create nfo-fence <FENCE-AGENT> <PARAMETER>=<VALUE> op monitor interval=60s",
                "pcs property set stonith-enabled=true");
    }

    @Test
    void theLabsColdGroupIsColdAndLacksOnlyDrbdAndFencing() throws Exception {
        ClusterView pair = SetupForms.pair(ClusterMode.COLD);
        Adoption a = AdoptionJudge.judge(pair, reading(sample("crm_mon-cold-healthy.xml"), sample("cib-cold.xml"),
                services(DISABLED, DISABLED), List.of()));

        assertThat(a.mode()).isEqualTo(ClusterMode.COLD);
        assertThat(a.proposed().nfoResource()).isEqualTo("nfo");
        assertThat(a.found()).filteredOn(f -> f.role().equals("file system")).singleElement()
                .satisfies(f -> assertThat(f.within()).isEqualTo("nfo-group"));
        // the lab replicates with a bind mount, not DRBD: everything else is placed and ordered by the group
        assertThat(ids(a)).containsExactlyInAnyOrder("fencing-disabled", "drbd-missing");
    }

    @Test
    void aDrbdPrimitiveNamedApartFromDrbdsResourceIsFoundByItsAgentAndSaid() throws Exception {
        // the lab's Cold group with DRBD as a hand-built cluster names it: primitive drbd-nfo running DRBD's r0
        String clone = """
                <clone id="drbd-nfo-clone" multi_state="true" unique="false" managed="true" disabled="false" failed="false" failure_ignored="false">
                  <resource id="drbd-nfo" resource_agent="ocf:linbit:drbd" role="Promoted" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1"><node name="nfo-a" id="1" cached="true"/></resource>
                  <resource id="drbd-nfo" resource_agent="ocf:linbit:drbd" role="Unpromoted" active="true" orphaned="false" blocked="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1"><node name="nfo-b" id="2" cached="true"/></resource>
                </clone>
                """;
        String crmMon = sample("crm_mon-cold-healthy.xml").replace("  <resources>\n", "  <resources>\n" + clone);
        ClusterReading reading = reading(crmMon, sample("cib-cold.xml"), services(DISABLED, DISABLED), List.of());
        reading = new ClusterReading(reading.node(), reading.at(), reading.status(), reading.constraints(), reading.services(),
                Set.of("r0"), reading.outputs());
        Adoption a = AdoptionJudge.judge(SetupForms.pair(ClusterMode.COLD), reading);

        assertThat(a.proposed().drbdResource()).isEqualTo("r0");
        assertThat(ids(a)).contains("drbd-named-apart").doesNotContain("drbd-missing");
        assertThat(a.differences()).filteredOn(d -> d.id().equals("drbd-named-apart")).singleElement()
                .satisfies(d -> assertThat(d.title()).isEqualTo("Pacemaker runs DRBD's r0 as drbd-nfo"));
    }

    @Test
    void aLocationAtInfinityOnWhatFollowsTheActiveIsAFailBackWithTheRecipesPreference() throws Exception {
        String constraints = sample("cibadmin-constraints-hot.xml").replace("</constraints>",
                "  <rsc_location id=\"location-nfo-vip-nfo-a-INFINITY\" rsc=\"nfo-vip\" node=\"nfo-a\" score=\"INFINITY\"/>\n"
                        + "  <rsc_location id=\"cli-prefer-nfo-vip\" rsc=\"nfo-vip\" node=\"nfo-b\" score=\"INFINITY\" role=\"Started\"/>\n"
                        + "  <rsc_location id=\"location-nfo-gate-nfo-b-50\" rsc=\"nfo-gate\" node=\"nfo-b\" score=\"50\"/>\n</constraints>");
        Adoption a = AdoptionJudge.judge(SetupForms.pair(ClusterMode.HOT), reading(sample("crm_mon-hot-healthy.xml"), constraints,
                services(DISABLED, DISABLED), labOutputs()));

        // the move's leftover and a preference below the stickiness are not a fail-back
        assertThat(ids(a)).containsExactlyInAnyOrder("fencing-disabled", "fails-back");
        assertThat(a.differences()).filteredOn(d -> d.id().equals("fails-back")).singleElement().satisfies(d -> {
            assertThat(d.title()).isEqualTo("location-nfo-vip-nfo-a-INFINITY pins nfo-vip to nfo-a at INFINITY");
            assertThat(d.commands()).containsExactly("pcs constraint delete location-nfo-vip-nfo-a-INFINITY",
                    "pcs constraint location nfo-vip prefers nfo-a=50", "pcs resource defaults update resource-stickiness=100");
        });
    }

    @Test
    void theRecipesStickinessAboveItsPreferenceAdoptsWithoutAStickinessDifference() throws Exception {
        // setup's recipe: resource-stickiness=100 in the defaults, the first active preferred by 50
        Adoption hot = hot(withLocations(sample("cib-hot.xml"),
                "<rsc_location id=\"location-nfo-vip-nfo-a-50\" rsc=\"nfo-vip\" node=\"nfo-a\" score=\"50\"/>"));
        Adoption cold = cold(withLocations(sample("cib-cold.xml"),
                "<rsc_location id=\"location-nfo-group-nfo-a-50\" rsc=\"nfo-group\" node=\"nfo-a\" score=\"50\"/>"));

        assertThat(ids(hot)).containsExactly("fencing-disabled");
        assertThat(ids(cold)).containsExactlyInAnyOrder("fencing-disabled", "drbd-missing");
    }

    @Test
    void aPreferenceNotBelowTheStickinessFailsBackAndIsLoweredWhenItIsNotBelowTheRecipes() throws Exception {
        Adoption a = hot(withLocations(sample("cib-hot.xml"),
                "<rsc_location id=\"location-nfo-vip-nfo-a-100\" rsc=\"nfo-vip\" node=\"nfo-a\" score=\"100\"/>"));

        assertThat(ids(a)).containsExactlyInAnyOrder("fencing-disabled", "fails-back");
        Difference d = only(a, "fails-back");
        assertThat(d.severity()).isEqualTo(Severity.WARNING);
        assertThat(d.title()).isEqualTo("location-nfo-vip-nfo-a-100 prefers nfo-a for nfo-vip by 100, not less than its "
                + "resource-stickiness (100, resource defaults)");
        assertThat(d.meaning()).contains("moves the output back to nfo-a when that node returns");
        assertThat(d.commands()).containsExactly("pcs resource defaults update resource-stickiness=100",
                "pcs constraint delete location-nfo-vip-nfo-a-100", "pcs constraint location nfo-vip prefers nfo-a=50");
    }

    @Test
    void theRecipesPreferenceWithoutAStickinessFailsBackAndOnlyTheStickinessIsSet() throws Exception {
        Adoption a = hot(withDefaultStickiness(withLocations(sample("cib-hot.xml"),
                "<rsc_location id=\"location-nfo-gate-nfo-b-50\" rsc=\"nfo-gate\" node=\"nfo-b\" score=\"50\"/>"), null));

        assertThat(ids(a)).as("the fail-back says it all").containsExactlyInAnyOrder("fencing-disabled", "fails-back");
        Difference d = only(a, "fails-back");
        assertThat(d.title()).contains("by 50", "(not set, so 0, resource defaults)");
        assertThat(d.commands()).containsExactly("pcs resource defaults update resource-stickiness=100");
    }

    @Test
    void noStickinessAndNoPreferenceIsSaidAsInfo() throws Exception {
        Adoption a = hot(withDefaultStickiness(sample("cib-hot.xml"), null));

        assertThat(ids(a)).containsExactlyInAnyOrder("fencing-disabled", "no-stickiness");
        Difference d = only(a, "no-stickiness");
        assertThat(d.severity()).isEqualTo(Severity.INFO);
        assertThat(d.title()).isEqualTo("resource-stickiness is not set: Pacemaker may move the output when a node rejoins");
        assertThat(d.commands()).containsExactly("pcs resource defaults update resource-stickiness=100");
    }

    @Test
    void aStickinessOnTheGroupOverridesTheDefaults() throws Exception {
        // the defaults say 100, the group says 0: its members hold nothing
        Adoption zero = cold(withGroupStickiness(sample("cib-cold.xml"), "0"));
        assertThat(ids(zero)).containsExactlyInAnyOrder("fencing-disabled", "drbd-missing", "no-stickiness");
        assertThat(only(zero, "no-stickiness").title()).startsWith("resource-stickiness of nfo-group is 0:");
        assertThat(only(zero, "no-stickiness").commands()).containsExactly("pcs resource meta nfo-group resource-stickiness=100");

        // the defaults say nothing, the group 200: a preference of 150 stays below it
        String high = withDefaultStickiness(withGroupStickiness(withLocations(sample("cib-cold.xml"),
                "<rsc_location id=\"location-nfo-group-nfo-a-150\" rsc=\"nfo-group\" node=\"nfo-a\" score=\"150\"/>"), "200"), null);
        assertThat(ids(cold(high))).containsExactlyInAnyOrder("fencing-disabled", "drbd-missing");

        // the group's 100 on a member's own preference of 150 (the recipe prefers by 50)
        Adoption member = cold(withGroupStickiness(withLocations(withDefaultStickiness(sample("cib-cold.xml"), "300"),
                "<rsc_location id=\"prefer-nfo-vip\" rsc=\"nfo-vip\" node=\"nfo-b\" score=\"150\"/>"), "100"));
        assertThat(only(member, "fails-back").title()).contains("(100, on nfo-group)");
        assertThat(only(member, "fails-back").commands()).containsExactly("pcs resource meta nfo-group resource-stickiness=100",
                "pcs constraint delete prefer-nfo-vip", "pcs constraint location nfo-vip prefers nfo-b=50");
    }

    @Test
    void anInfiniteStickinessNeverFailsBackAndANegativeOneIsSaidWithItsValue() throws Exception {
        String preferred = withLocations(sample("cib-hot.xml"),
                "<rsc_location id=\"location-nfo-vip-nfo-a-5000\" rsc=\"nfo-vip\" node=\"nfo-a\" score=\"5000\"/>");
        assertThat(ids(hot(withDefaultStickiness(preferred, "INFINITY")))).containsExactly("fencing-disabled");

        Adoption negative = hot(withDefaultStickiness(sample("cib-hot.xml"), "-20"));
        assertThat(ids(negative)).containsExactlyInAnyOrder("fencing-disabled", "no-stickiness");
        assertThat(only(negative, "no-stickiness").title()).startsWith("resource-stickiness (resource defaults) is -20:");
        assertThat(only(negative, "no-stickiness").meaning()).contains("negative stickiness");
        assertThat(ids(hot(withDefaultStickiness(preferred, "-20")))).as("50 or 5000, above a negative stickiness")
                .containsExactlyInAnyOrder("fencing-disabled", "fails-back");
    }

    @Test
    void aStickinessThatIsNotAScoreIsAWarningNotAnError() throws Exception {
        Adoption a = hot(withDefaultStickiness(withLocations(sample("cib-hot.xml"),
                "<rsc_location id=\"location-nfo-vip-nfo-a-50\" rsc=\"nfo-vip\" node=\"nfo-a\" score=\"50\"/>"), "a lot"));

        assertThat(ids(a)).containsExactlyInAnyOrder("fencing-disabled", "stickiness-unreadable");
        Difference d = only(a, "stickiness-unreadable");
        assertThat(d.severity()).isEqualTo(Severity.WARNING);
        assertThat(d.title()).isEqualTo("resource-stickiness (resource defaults) is 'a lot', which is not a score");
        assertThat(d.commands()).containsExactly("pcs resource defaults update resource-stickiness=100");
    }

    @Test
    void aHotPairWithoutItsGateGetsTheRecipesGateWithThePairsOutputs() throws Exception {
        ClusterView pair = SetupForms.pair(ClusterMode.HOT);
        Adoption a = AdoptionJudge.judge(pair, reading(withoutGate(sample("crm_mon-hot-healthy.xml")),
                constraintsWithoutGate(sample("cibadmin-constraints-hot.xml")), services(DISABLED, DISABLED), labOutputs()));

        assertThat(a.proposed().gateResource()).as("nothing to map: the pair keeps its name, the one to create").isNull();
        Difference missing = a.differences().stream().filter(d -> d.id().equals("gate-missing")).findFirst().orElseThrow();
        assertThat(missing.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(missing.meaning()).contains("both NFOs send");
        assertThat(missing.commands()).hasSize(7);
        assertThat(missing.commands().get(0)).startsWith("install -D -m 0755 -o root -g root /dev/stdin /usr/lib/ocf/resource.d/tandem/gate")
                .contains("on nfo-a");
        assertThat(missing.commands().get(2)).startsWith("nft 'add table inet tandem").endsWith("# on nfo-a");
        assertThat(missing.commands().get(3)).contains("ip daddr 10.77.0.2 udp dport 514 counter drop", "# on nfo-b");
        // as the lab's own script creates it (lab/pacemaker-lab.sh)
        assertThat(missing.commands().subList(4, 7)).containsExactly(
                "pcs resource create nfo-gate ocf:tandem:gate destinations=udp:10.77.0.2:514,tcp:10.77.0.2:6514 op monitor "
                        + "interval=10s timeout=20s",
                "pcs constraint colocation add nfo-gate with nfo-vip INFINITY",
                "pcs constraint order start nfo-vip then start nfo-gate");

        Adoption unknownOutputs = AdoptionJudge.judge(pair, reading(withoutGate(sample("crm_mon-hot-healthy.xml")),
                constraintsWithoutGate(sample("cibadmin-constraints-hot.xml")), services(DISABLED, DISABLED), List.of()));
        Difference placeholder = unknownOutputs.differences().stream().filter(d -> d.id().equals("gate-missing")).findFirst().orElseThrow();
        assertThat(placeholder.commands()).anyMatch(c -> c.startsWith("pcs resource create nfo-gate ocf:tandem:gate destinations=<OUTPUTS> "));
        assertThat(placeholder.meaning()).contains("<OUTPUTS> is NFO's outputs");
    }

    @Test
    void aGateNotWithTheVipAndAnEnabledUnitAreDifferencesWithTheirCommands() throws Exception {
        ClusterView pair = SetupForms.pair(ClusterMode.HOT);
        String constraints = sample("cibadmin-constraints-hot.xml").lines().filter(l -> !l.contains("colocation-nfo-gate"))
                .reduce("", (x, y) -> x + y + "\n");
        Adoption a = AdoptionJudge.judge(pair, reading(sample("crm_mon-hot-healthy.xml"), constraints,
                services(service("enabled"), DISABLED), labOutputs()));

        assertThat(ids(a)).containsExactlyInAnyOrder("fencing-disabled", "gate-not-with-vip", "nfo-unit-enabled");
        assertThat(a.differences()).filteredOn(d -> d.id().equals("gate-not-with-vip")).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(d.commands()).containsExactly("pcs constraint colocation add nfo-gate with nfo-vip INFINITY");
        });
        assertThat(a.differences()).filteredOn(d -> d.id().equals("nfo-unit-enabled")).singleElement().satisfies(d -> {
            assertThat(d.title()).contains("nfo-a").doesNotContain("nfo-b");
            assertThat(d.commands()).containsExactly("systemctl disable nfo.service   # on nfo-a");
        });
    }

    @Test
    void aClusterWithoutNfoAndWithThreeIpaddr2IsSaidPlainlyAndNothingIsGuessed() throws Exception {
        ClusterView pair = SetupForms.pair(ClusterMode.HOT);
        Adoption a = AdoptionJudge.judge(pair, reading(SharedCorpus.read("pacemaker/legacy/ha_cluster_exporter-crm_mon.xml"),
                SharedCorpus.read("pacemaker/cib/ha_cluster_exporter-cib.xml"), Map.of(), List.of()));

        assertThat(a.proposed().nfoResource()).isNull();
        assertThat(a.proposed().vipResource()).isNull();
        assertThat(a.mode()).isNull();
        assertThat(a.ambiguities()).anyMatch(m -> m.startsWith("No primitive runs NFO's unit (nfo)"))
                .anyMatch(m -> m.startsWith("Several resources could be the VIP (") && m.contains("rsc_ip_HA1_ASCS00")
                        && m.contains("rsc_ip_HA1_ERS10") && m.contains("rsc_ip_PRD_HDB00") && m.contains("does not guess"))
                .noneMatch(m -> m.contains("file system"));
        assertThat(a.asTheRecipe()).isFalse();
        assertThat(ids(a)).as("fenced (sbd); with no NFO found nothing else is compared").isEmpty();
    }

    @Test
    void theTokenChangesWithTheConfigurationNotWithPlacementOrAMovesLeftover() throws Exception {
        ClusterView pair = SetupForms.pair(ClusterMode.HOT);
        String healthy = AdoptionJudge.token(pair, reading(sample("crm_mon-hot-healthy.xml"), sample("cibadmin-constraints-hot.xml"),
                Map.of(), List.of()));

        assertThat(AdoptionJudge.token(pair, reading(sample("crm_mon-hot-node-offline.xml"), sample("cibadmin-constraints-hot.xml"),
                Map.of(), List.of()))).as("nfo-a crashed: placement differs, configuration does not").isEqualTo(healthy);
        assertThat(AdoptionJudge.token(pair, reading(sample("crm_mon-hot-leftover-cli-prefer.xml"),
                sample("cibadmin-constraints-leftover-cli-prefer.xml"), Map.of(), List.of()))).isEqualTo(healthy);
        assertThat(AdoptionJudge.token(pair, reading(withoutGate(sample("crm_mon-hot-healthy.xml")),
                constraintsWithoutGate(sample("cibadmin-constraints-hot.xml")), Map.of(), List.of()))).isNotEqualTo(healthy);
        assertThat(healthy).endsWith("." + pair.version());
    }
}
