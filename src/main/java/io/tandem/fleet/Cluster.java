package io.tandem.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** An HA pair. Its two nodes belong to it (same aggregate), in positions 0 and 1. */
@Entity
@Table(name = "cluster")
public class Cluster {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ClusterMode mode;

    private String description;

    @Column(name = "nfo_resource", nullable = false)
    private String nfoResource;

    @Column(name = "vip_resource")
    private String vipResource;

    @Column(name = "gate_resource")
    private String gateResource;

    @Column(name = "drbd_resource")
    private String drbdResource;

    /** Newline-separated globs; one column rather than a table so listing the fleet stays one query. */
    @Column(name = "drift_ignore", nullable = false)
    private String driftIgnore = "";

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    @OneToMany(mappedBy = "cluster", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    @OrderBy("position")
    private List<Node> nodes = new ArrayList<>();

    protected Cluster() {
    }

    Cluster(Instant now) {
        this.id = UUID.randomUUID();
        this.createdAt = now;
        this.updatedAt = now;
    }

    void apply(ClusterSpec spec, Instant now) {
        this.name = spec.name();
        this.description = spec.description();
        applyResources(spec, now);
        for (int position = 0; position < 2; position++) {
            if (nodes.size() <= position) {
                nodes.add(new Node(this, position));
            }
        }
    }

    /** The mode and resource names (all setup's adopt changes); nothing else about the pair. */
    void applyResources(ClusterSpec names, Instant now) {
        this.mode = names.mode();
        this.nfoResource = names.nfoResource();
        this.vipResource = names.vipResource();
        this.gateResource = names.gateResource();
        this.drbdResource = names.drbdResource();
        this.updatedAt = now;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public ClusterMode mode() {
        return mode;
    }

    public String description() {
        return description;
    }

    public String nfoResource() {
        return nfoResource;
    }

    public String vipResource() {
        return vipResource;
    }

    public String gateResource() {
        return gateResource;
    }

    public String drbdResource() {
        return drbdResource;
    }

    public List<String> driftIgnore() {
        return driftIgnore.isEmpty() ? List.of() : List.of(driftIgnore.split("\n"));
    }

    void ignoreDrift(List<String> globs, Instant now) {
        this.driftIgnore = String.join("\n", globs);
        this.updatedAt = now;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public long version() {
        return version;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    Node node(int position) {
        return nodes.get(position);
    }
}
