package io.tandem.fleet;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One NFO server of a pair. Its credential is stored only as AES-GCM ciphertext. */
@Entity
@Table(name = "node")
public class Node {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "cluster_id")
    private Cluster cluster;

    @Column(nullable = false)
    private int position;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String address;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AccessKind access;

    @Column(name = "ssh_user")
    private String sshUser;

    @Column(name = "ssh_port", nullable = false)
    private int sshPort;

    @Column(name = "ssh_sudo", nullable = false)
    private boolean sshSudo;

    @Column(name = "agent_port", nullable = false)
    private int agentPort;

    @Column(name = "nfo_home", nullable = false)
    private String nfoHome;

    @Column(name = "service_unit", nullable = false)
    private String serviceUnit;

    /** One glob per line. */
    @Column(name = "config_includes", nullable = false)
    private String configIncludes;

    @Column(name = "config_excludes", nullable = false)
    private String configExcludes;

    /** Comma-separated UDP ports. */
    @Column(name = "flow_ports", nullable = false)
    private String flowPorts;

    private byte[] credential;

    @Column(name = "pinned_fingerprint")
    private String pinnedFingerprint;

    /** The SSH key kept while the node is reached through the agent Tandem installed (for upgrade and removal). */
    @Column(name = "kept_ssh_credential")
    private byte[] keptSshCredential;

    @Column(name = "kept_ssh_fingerprint")
    private String keptSshFingerprint;

    protected Node() {
    }

    Node(Cluster cluster, int position) {
        this.id = UUID.randomUUID();
        this.cluster = cluster;
        this.position = position;
    }

    void apply(NodeSpec spec) {
        this.name = spec.name();
        this.address = spec.address();
        this.access = spec.access();
        this.sshUser = spec.sshUser();
        this.sshPort = spec.sshPort();
        this.sshSudo = Boolean.TRUE.equals(spec.sshSudo());
        this.agentPort = spec.agentPort();
        this.nfoHome = spec.nfoHome();
        this.serviceUnit = spec.serviceUnit();
        this.configIncludes = String.join("\n", spec.configIncludes());
        this.configExcludes = String.join("\n", spec.configExcludes());
        this.flowPorts = String.join(",", spec.flowPorts().stream().map(String::valueOf).toList());
    }

    void storeCredential(byte[] sealed) {
        this.credential = sealed;
    }

    /**
     * A new address or access kind means a new key or certificate: the old pin no longer applies, nor does an SSH access
     * kept from an agent install (an admin who edits the access by hand takes it over).
     */
    void forgetPin() {
        this.pinnedFingerprint = null;
        this.keptSshCredential = null;
        this.keptSshFingerprint = null;
    }

    void pin(String fingerprint) {
        this.pinnedFingerprint = fingerprint;
    }

    /** From SSH to the agent installed over it: the SSH key and host key pin are kept, the token and pin take over. */
    void switchToAgent(byte[] sealedToken, String certificateFingerprint) {
        if (access != AccessKind.SSH) {
            throw new IllegalStateException(name + " is not on SSH access");
        }
        keptSshCredential = credential;
        keptSshFingerprint = pinnedFingerprint;
        access = AccessKind.AGENT;
        credential = sealedToken;
        pinnedFingerprint = certificateFingerprint;
    }

    /** Back to the SSH access kept by {@link #switchToAgent}. */
    void switchToSsh() {
        if (access != AccessKind.AGENT || keptSshCredential == null) {
            throw new IllegalStateException(name + " has no SSH access kept from an agent install");
        }
        access = AccessKind.SSH;
        credential = keptSshCredential;
        pinnedFingerprint = keptSshFingerprint;
        keptSshCredential = null;
        keptSshFingerprint = null;
    }

    /** Whether an SSH access is kept: the node runs an agent Tandem installed over SSH. */
    public boolean hasKeptSsh() {
        return keptSshCredential != null;
    }

    byte[] sealedKeptSshCredential() {
        return keptSshCredential;
    }

    String keptSshFingerprint() {
        return keptSshFingerprint;
    }

    public UUID id() {
        return id;
    }

    public UUID clusterId() {
        return cluster.id();
    }

    public int position() {
        return position;
    }

    public String name() {
        return name;
    }

    public String address() {
        return address;
    }

    public AccessKind access() {
        return access;
    }

    public String sshUser() {
        return sshUser;
    }

    public int sshPort() {
        return sshPort;
    }

    /** Over SSH, the node's tools run as {@code sudo -n}. */
    public boolean sshSudo() {
        return sshSudo;
    }

    public int agentPort() {
        return agentPort;
    }

    public String nfoHome() {
        return nfoHome;
    }

    public String serviceUnit() {
        return serviceUnit;
    }

    public List<String> configIncludes() {
        return lines(configIncludes);
    }

    public List<String> configExcludes() {
        return lines(configExcludes);
    }

    public List<Integer> flowPorts() {
        return flowPorts.isBlank() ? List.of() : Arrays.stream(flowPorts.split(",")).map(Integer::valueOf).toList();
    }

    public boolean hasCredential() {
        return credential != null;
    }

    byte[] sealedCredential() {
        return credential;
    }

    public String pinnedFingerprint() {
        return pinnedFingerprint;
    }

    private static List<String> lines(String text) {
        return text.isBlank() ? List.of() : List.of(text.split("\n"));
    }
}
