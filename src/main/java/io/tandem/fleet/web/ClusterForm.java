package io.tandem.fleet.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tandem.fleet.AccessKind;
import io.tandem.fleet.ClusterMode;
import io.tandem.fleet.ClusterSpec;
import io.tandem.fleet.ClusterView;
import io.tandem.fleet.FleetDefaults;
import io.tandem.fleet.NodeSpec;

/**
 * The cluster form as the browser sends it: text everywhere, so that a typo in a port reaches the
 * fleet rules as an unusable value (and is reported beside its field) rather than a binding error.
 */
public class ClusterForm {

    private String name;
    private ClusterMode mode = ClusterMode.HOT;
    private String description;
    private String nfoResource = FleetDefaults.NFO_RESOURCE;
    private String vipResource = FleetDefaults.VIP_RESOURCE;
    private String gateResource = FleetDefaults.GATE_RESOURCE;
    private String drbdResource = FleetDefaults.DRBD_RESOURCE;
    private Long version;
    private List<NodeForm> nodes = new ArrayList<>(List.of(new NodeForm(), new NodeForm()));

    public static ClusterForm of(ClusterView view) {
        ClusterForm form = new ClusterForm();
        form.name = view.name();
        form.mode = view.mode();
        form.description = view.description();
        form.nfoResource = view.nfoResource();
        form.vipResource = view.vipResource();
        form.gateResource = view.gateResource();
        form.drbdResource = view.drbdResource() == null ? FleetDefaults.DRBD_RESOURCE : view.drbdResource();
        form.version = view.version();
        form.nodes = new ArrayList<>(view.nodes().stream().map(NodeForm::of).toList());
        return form;
    }

    ClusterSpec toSpec() {
        List<NodeSpec> specs = nodes == null ? List.of() : nodes.stream().map(NodeForm::toSpec).toList();
        return new ClusterSpec(name, mode, description, nfoResource, vipResource, gateResource, drbdResource, specs);
    }

    public static class NodeForm {
        private String name;
        private String address;
        private AccessKind access = AccessKind.AGENT;
        private String sshUser = FleetDefaults.SSH_USER;
        private String sshPort = String.valueOf(FleetDefaults.SSH_PORT);
        private boolean sshSudo;
        private String agentPort = String.valueOf(FleetDefaults.AGENT_PORT);
        private String nfoHome = FleetDefaults.NFO_HOME;
        private String serviceUnit = FleetDefaults.SERVICE_UNIT;
        private String configIncludes = String.join("\n", FleetDefaults.CONFIG_INCLUDES);
        private String configExcludes = String.join("\n", FleetDefaults.CONFIG_EXCLUDES);
        private String flowPorts = joinPorts(FleetDefaults.FLOW_PORTS);
        private String credential;
        private boolean credentialStored;

        static NodeForm of(ClusterView.NodeView view) {
            NodeForm form = new NodeForm();
            form.name = view.name();
            form.address = view.address();
            form.access = view.access();
            form.sshUser = view.sshUser();
            form.sshPort = String.valueOf(view.sshPort());
            form.sshSudo = view.sshSudo();
            form.agentPort = String.valueOf(view.agentPort());
            form.nfoHome = view.nfoHome();
            form.serviceUnit = view.serviceUnit();
            form.configIncludes = String.join("\n", view.configIncludes());
            form.configExcludes = String.join("\n", view.configExcludes());
            form.flowPorts = joinPorts(view.flowPorts());
            form.credentialStored = view.hasCredential();
            return form;
        }

        NodeSpec toSpec() {
            return new NodeSpec(name, address, access, sshUser, port(sshPort), port(agentPort), nfoHome, serviceUnit,
                    lines(configIncludes), lines(configExcludes), ports(flowPorts), credential, sshSudo);
        }

        /** Empty means default; anything unparsable becomes 0, which the fleet rules refuse by name. */
        private static Integer port(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return Integer.valueOf(text.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private static List<Integer> ports(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).map(NodeForm::port).toList();
        }

        private static List<String> lines(String text) {
            if (text == null) {
                return null;
            }
            return text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        private static String joinPorts(List<Integer> ports) {
            return String.join(", ", ports.stream().map(String::valueOf).toList());
        }

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getAddress() { return address; }
        public void setAddress(String address) { this.address = address; }
        public AccessKind getAccess() { return access; }
        public void setAccess(AccessKind access) { this.access = access; }
        public String getSshUser() { return sshUser; }
        public void setSshUser(String sshUser) { this.sshUser = sshUser; }
        public String getSshPort() { return sshPort; }
        public void setSshPort(String sshPort) { this.sshPort = sshPort; }
        public boolean isSshSudo() { return sshSudo; }
        public void setSshSudo(boolean sshSudo) { this.sshSudo = sshSudo; }
        public String getAgentPort() { return agentPort; }
        public void setAgentPort(String agentPort) { this.agentPort = agentPort; }
        public String getNfoHome() { return nfoHome; }
        public void setNfoHome(String nfoHome) { this.nfoHome = nfoHome; }
        public String getServiceUnit() { return serviceUnit; }
        public void setServiceUnit(String serviceUnit) { this.serviceUnit = serviceUnit; }
        public String getConfigIncludes() { return configIncludes; }
        public void setConfigIncludes(String configIncludes) { this.configIncludes = configIncludes; }
        public String getConfigExcludes() { return configExcludes; }
        public void setConfigExcludes(String configExcludes) { this.configExcludes = configExcludes; }
        public String getFlowPorts() { return flowPorts; }
        public void setFlowPorts(String flowPorts) { this.flowPorts = flowPorts; }
        /** Write-only: never filled from the stored value. */
        public String getCredential() { return null; }
        public void setCredential(String credential) { this.credential = credential; }
        public boolean isCredentialStored() { return credentialStored; }
        public void setCredentialStored(boolean stored) { this.credentialStored = stored; }
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public ClusterMode getMode() { return mode; }
    public void setMode(ClusterMode mode) { this.mode = mode; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public String getNfoResource() { return nfoResource; }
    public void setNfoResource(String nfoResource) { this.nfoResource = nfoResource; }
    public String getVipResource() { return vipResource; }
    public void setVipResource(String vipResource) { this.vipResource = vipResource; }
    public String getGateResource() { return gateResource; }
    public void setGateResource(String gateResource) { this.gateResource = gateResource; }
    public String getDrbdResource() { return drbdResource; }
    public void setDrbdResource(String drbdResource) { this.drbdResource = drbdResource; }
    public Long getVersion() { return version; }
    public void setVersion(Long version) { this.version = version; }
    public List<NodeForm> getNodes() { return nodes; }
    public void setNodes(List<NodeForm> nodes) { this.nodes = nodes; }
}
