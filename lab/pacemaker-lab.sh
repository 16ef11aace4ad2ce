#!/usr/bin/env bash
# pacemaker-lab.sh - a REAL two-node Pacemaker cluster (corosync 3 + pacemaker 2.1 + pcs 0.11) on one Linux
# host, built from network namespaces, for testing Tandem against the real tools. See docs/pacemaker-lab.md.
#
#   pacemaker-lab.sh up [--mode hot|cold] [--token MS] [--jar PATH] [--java PATH] [--nfo-cmd CMD]
#                       [--agent-cmd CMD] [--destinations LIST] build and start everything (idempotent)
#   pacemaker-lab.sh up --bare [--mode hot|cold] ...           two standalone servers for Tandem's guided setup:
#                                                              packages, pcsd running, the hacluster password set
#                                                              (`status` prints it), sshd, the agent, NFO as the
#                                                              `nfo` service (an init script, lsb:nfo), NO cluster
#   pacemaker-lab.sh down [--keep-state]                       stop and remove ONLY what the lab created
#   pacemaker-lab.sh status                                    nodes, gates, crm_mon -1
#   pacemaker-lab.sh kill-node N                               hard crash (SIGKILL of the node's PID 1)
#   pacemaker-lab.sh stop-node N                               clean shutdown (pacemaker, corosync, node)
#   pacemaker-lab.sh start-node N                              boot a stopped/crashed node again
#   pacemaker-lab.sh isolate N | heal N                        cut / restore the node's network link
#   pacemaker-lab.sh exec N CMD...                             run CMD in node N (net+mount+uts+pid ns)
#   pacemaker-lab.sh exec client CMD...                        run CMD in the client namespace
#   pacemaker-lab.sh spawn client CMD...                       start CMD in the background in the client
#                                                              namespace; recorded, killed by `down`
#   pacemaker-lab.sh ssh N [CMD...]                            ssh root@node with the lab key
#   pacemaker-lab.sh wait-online [SECONDS]                     wait until both nodes online, resources up
#   N = nfo-a | nfo-b | a | b
#
# Network (all private lab addresses, nothing is routed anywhere else; the namespaces have no default route):
#   host  tlab0 (bridge)   10.77.0.1/24   where the console runs
#   netns tlab-nfo-a eth0  10.77.0.11     node nfo-a   (host side of its veth: tlab-a)
#   netns tlab-nfo-b eth0  10.77.0.12     node nfo-b   (host side: tlab-b)
#   netns tlab-client eth0 10.77.0.2      exporters and the SIEM sink (host side: tlab-c)
#   VIP 10.77.0.100 (nfo-vip), NFO flow input UDP 9555 on each node, SIEM sink 10.77.0.2 udp/514 tcp/6514
#   Tandem agent on 7443 in each node (when the lab runs tandem.jar, i.e. without --nfo-cmd or with --jar)
#
# State dir (TANDEM_LAB_STATE, default /var/tmp/tandem-lab; NOT under /run because each node mounts its own
# tmpfs on /run and must still see the state dir): config, the `created` ledger of every namespace, link,
# host directory and process the lab made (down undoes exactly that list), per-node files, logs, ssh keys, and
# each node's own layer of /etc, /usr, /opt and /var/lib (nodes/<node>/fs: the upper and work directories of the
# overlays node-init mounts inside the node, so software installed in a node never reaches the host).
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/.." && pwd)
STATE=${TANDEM_LAB_STATE:-/var/tmp/tandem-lab}
LEDGER=$STATE/created

NODES=(nfo-a nfo-b)
declare -A NODE_IP=([nfo-a]=10.77.0.11 [nfo-b]=10.77.0.12)
declare -A NODE_ID=([nfo-a]=1 [nfo-b]=2)
declare -A NODE_VETH=([nfo-a]=tlab-a [nfo-b]=tlab-b [client]=tlab-c)
declare -A NODE_NS=([nfo-a]=tlab-nfo-a [nfo-b]=tlab-nfo-b [client]=tlab-client)
CLIENT_IP=10.77.0.2
HOST_IP=10.77.0.1
VIP=10.77.0.100
BRIDGE=tlab0
PREFIX=24
CLUSTER_NAME=tandem-lab
DEFAULT_DESTINATIONS="udp:$CLIENT_IP:514,tcp:$CLIENT_IP:6514"
NFO_PORT=9555
AGENT_PORT=7443
# Small heaps and the C1 compiler only: four JVMs per lab (agent and NFO in each node) plus the client's sink and
# exporters share the host's cores with the build; they start faster this way and need no more.
JVM_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms16m -Xmx192m"
# Host directories that must exist as mount points for the nodes' private bind mounts (created empty if
# missing, recorded, removed again by `down` when the lab created them).
HOST_MOUNTPOINTS=(/var/lib/nfo-lab /usr/lib/ocf/resource.d/tandem /usr/local/sbin)

log() { printf '%s pacemaker-lab: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }

# ---------------------------------------------------------------------------------------------------------
# ledger: one line per created object: "<kind> <name> [extra]". Kinds: netns, link, hostdir, proc.
# ---------------------------------------------------------------------------------------------------------
record() { echo "$*" >>"$LEDGER"; }
recorded() { [ -f "$LEDGER" ] && grep -qxF "$*" "$LEDGER"; }

# Start time of a PID (field 22 of /proc/PID/stat) so a recycled PID is never mistaken for ours.
proc_start() { awk '{sub(/^.*\) /, ""); print $20}' "/proc/$1/stat" 2>/dev/null || true; }
proc_alive() {  # proc_alive PID STARTTIME
    [ -n "${1:-}" ] && [ -d "/proc/$1" ] && [ "$(proc_start "$1")" = "$2" ] \
        && [ "$(awk '{sub(/^.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

node_name() {  # accepts nfo-a, a, nfo-b, b (and client where allowed)
    case "${1:-}" in
        nfo-a|a) echo nfo-a ;;
        nfo-b|b) echo nfo-b ;;
        client|c) echo client ;;
        *) die "unknown node '${1:-}' (nfo-a|nfo-b|a|b)" ;;
    esac
}

# The host PID of the node's PID 1 (node-init.sh), or nothing when the node is not running.
node_pid() {
    local f=$STATE/nodes/$1/init.pid pid start
    [ -s "$f" ] || return 1
    read -r pid start <"$f"
    proc_alive "$pid" "$start" || return 1
    echo "$pid"
}

# Run a command inside a node: network + mount + uts + pid namespaces of its PID 1. (ip netns exec alone is
# not enough: pacemaker's IPC lives in the node's private /dev/shm -> "Could not connect to launcher".)
in_node() {
    local node=$1 pid
    shift
    pid=$(node_pid "$node") || die "$node is not running"
    nsenter -t "$pid" -n -m -u -p --wd=/ -- "$@"
}

require_root() { [ "$(id -u)" -eq 0 ] || die "must run as root"; }

require_tools() {
    local t missing=()
    for t in ip nft nsenter unshare corosync pacemakerd pcs crm_mon cibadmin sshd ssh-keygen; do
        command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || missing+=("$t")
    done
    [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (run lab/install-packages.sh)"
}

# ---------------------------------------------------------------------------------------------------------
# network
# ---------------------------------------------------------------------------------------------------------
net_up() {
    if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
        # refuse when the lab subnet is already used on this host (we would hijack someone's traffic)
        if ip -4 route show 10.77.0.0/$PREFIX | grep -q .; then
            die "10.77.0.0/$PREFIX is already routed on this host: $(ip -4 route show 10.77.0.0/$PREFIX)"
        fi
        ip link add "$BRIDGE" type bridge stp_state 0 forward_delay 0
        record link "$BRIDGE"
        sysctl -qw "net.ipv6.conf.$BRIDGE.disable_ipv6=1" || true
        ip addr add "$HOST_IP/$PREFIX" dev "$BRIDGE"
        ip link set "$BRIDGE" up
    elif ! recorded link "$BRIDGE"; then
        die "$BRIDGE exists but was not created by this lab (state $STATE); refusing to touch it"
    fi
    # `ip netns add` turns /run/netns into a mount point (bind on itself) the first time and never undoes it;
    # remember whether that was us, so that `down` leaves the host's mount table as it found it.
    if ! mountpoint -q /run/netns; then
        [ -d /run/netns ] || record hostdir /run/netns
        record mount /run/netns
    fi
    local n ns veth ip
    for n in "${NODES[@]}" client; do
        ns=${NODE_NS[$n]}
        veth=${NODE_VETH[$n]}
        if [ "$n" = client ]; then ip=$CLIENT_IP; else ip=${NODE_IP[$n]}; fi
        if ! ip netns list | grep -qw "^$ns"; then
            ip netns add "$ns"
            record netns "$ns"
        elif ! recorded netns "$ns"; then
            die "netns $ns exists but was not created by this lab; refusing to touch it"
        fi
        if ! ip link show "$veth" >/dev/null 2>&1; then
            # host end $veth on the bridge, namespace end eth0
            ip link add "$veth" type veth peer name eth0 netns "$ns"
            record link "$veth"
            sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1" || true
            ip link set "$veth" master "$BRIDGE" up
            ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
            ip -n "$ns" addr add "$ip/$PREFIX" dev eth0
            ip -n "$ns" link set lo up
            ip -n "$ns" link set eth0 up
        fi
    done
}

# ---------------------------------------------------------------------------------------------------------
# files: keys, corosync.conf, seed CIB, per-node directories
# ---------------------------------------------------------------------------------------------------------
write_config() {  # persisted so that later commands (and node-init.sh) see the up options
    {
        printf 'MODE=%q\nTOKEN=%q\nNFO_CMD=%q\nAGENT_CMD=%q\nDESTINATIONS=%q\nJAR=%q\nJAVA=%q\nBARE=%q\n' \
            "$MODE" "$TOKEN" "$NFO_CMD" "$AGENT_CMD" "$DESTINATIONS" "$JAR" "$JAVA" "$BARE"
    } >"$STATE/config"
}

host_mountpoints() {
    local d
    for d in "${HOST_MOUNTPOINTS[@]}"; do
        if [ ! -d "$d" ]; then
            mkdir -p "$d"
            record hostdir "$d"
        fi
    done
}

ssh_keys() {
    local d=$STATE/ssh
    mkdir -p "$d"
    chmod 0700 "$d"
    [ -f "$d/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C tandem-lab -f "$d/id_ed25519"
    cp "$d/id_ed25519.pub" "$d/authorized_keys"
    chmod 0600 "$d/authorized_keys"
}

corosync_conf() {  # corosync.conf for both nodes (identical on each)
    cat <<EOF
# written by tandem lab/pacemaker-lab.sh
totem {
    version: 2
    cluster_name: $CLUSTER_NAME
    transport: knet
    token: $TOKEN
    crypto_cipher: aes256
    crypto_hash: sha256
}
nodelist {
    node {
        ring0_addr: ${NODE_IP[nfo-a]}
        name: nfo-a
        nodeid: ${NODE_ID[nfo-a]}
    }
    node {
        ring0_addr: ${NODE_IP[nfo-b]}
        name: nfo-b
        nodeid: ${NODE_ID[nfo-b]}
    }
}
quorum {
    provider: corosync_votequorum
    two_node: 1
}
logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: no
    to_stderr: no
    timestamp: on
}
EOF
}

# The seed CIB: only cluster options; resources are created with pcs once the cluster is up.
# dc-deadtime=2s: the default 20 s makes the first start take ~23 s. stonith-enabled=false: no fencing
# devices in a lab (so an isolated node takes the resources too: a real split brain for the console to see).
seed_cib() {
    # `cibadmin --empty` gives the installed Pacemaker's own crm_feature_set/validate-with (a hand-written
    # newer feature set makes every controller update fail with "Protocol not supported" and controld exit).
    local props
    props='<crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="cib-bootstrap-options-cluster-name" name="cluster-name" value="'$CLUSTER_NAME'"/>
        <nvpair id="cib-bootstrap-options-dc-deadtime" name="dc-deadtime" value="2s"/>
        <nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>'
    cibadmin --empty | awk -v props="$props" '{ if ($0 ~ /<crm_config\/>/) { sub(/<crm_config\/>/, props) } print }'
}

# The NFO process Pacemaker runs (ocf:heartbeat:anything binfile=/var/lib/nfo-lab/run-nfo): a per-node
# wrapper (the path is the same on both nodes, the content is the node's own) that runs NFO_CMD with
# {node} and {home} replaced, NODE and NFO_HOME exported.
nfo_home() { if [ "$MODE" = cold ]; then echo /var/lib/nfo-lab/shared; else echo "/var/lib/nfo-lab/$1"; fi; }

write_nfo_wrapper() {
    local n=$1 home cmd
    home=$(nfo_home "$n")
    cmd=${NFO_CMD//\{node\}/$n}
    cmd=${cmd//\{home\}/$home}
    {
        echo '#!/bin/bash'
        echo "# NFO stand-in for lab node $n, generated by pacemaker-lab.sh; run by ocf:heartbeat:anything"
        printf 'export NODE=%q NFO_HOME=%q\n' "$n" "$home"
        printf 'cd %q 2>/dev/null || cd /\n' "$home"
        printf 'exec /bin/sh -c %q\n' "$cmd"
    } >"$STATE/nodes/$n/nfo-lab/run-nfo"
    chmod 0755 "$STATE/nodes/$n/nfo-lab/run-nfo"
}

node_files() {  # per-node directory tree; corosync/CIB seeded only the first time (a restart keeps the CIB)
    local n=$1 R=$STATE/nodes/$1
    if [ ! -f "$R/seeded" ]; then
        mkdir -p "$R"/{etc,lib,log,ssh,nfo-lab}
        # copies of the host's packaged directories keep their owners (hacluster:haclient) and modes
        cp -a /etc/corosync "$R/etc/corosync"
        cp -a /var/lib/pacemaker "$R/lib/pacemaker"
        cp -a /var/lib/corosync "$R/lib/corosync"
        cp -a /var/lib/pcsd "$R/lib/pcsd"
        cp -a /var/log/pacemaker "$R/log/pacemaker"
        cp -a /var/log/corosync "$R/log/corosync"
        cp -a /var/log/pcsd "$R/log/pcsd"
        find "$R/log" -type f -delete
        rm -f "$R/lib/pacemaker/cib/"* "$R/lib/pacemaker/pengine/"*
        if [ "$BARE" = yes ]; then
            bare_files "$n"
        else
            corosync_conf >"$R/etc/corosync/corosync.conf"
            install -m 0400 "$STATE/authkey" "$R/etc/corosync/authkey"
            seed_cib >"$R/lib/pacemaker/cib/cib.xml"
            chown hacluster:haclient "$R/lib/pacemaker/cib/cib.xml"
            chmod 0600 "$R/lib/pacemaker/cib/cib.xml"
        fi
        printf '127.0.0.1 localhost\n%s nfo-a\n%s nfo-b\n%s client\n%s tandem-console\n%s nfo-vip\n' \
            "${NODE_IP[nfo-a]}" "${NODE_IP[nfo-b]}" "$CLIENT_IP" "$HOST_IP" "$VIP" >"$R/etc/hosts"
        echo "$n" >"$R/etc/hostname"
        mkdir -p "$R/nfo-lab/$n" "$R/nfo-lab/shared"
        seed_nfo_config "$R/nfo-lab/$n"
        # sshd: own host key per node, root login with the lab key only
        ssh-keygen -q -t ed25519 -N '' -C "$n" -f "$R/ssh/ssh_host_ed25519_key"
        cat >"$R/ssh/sshd_config" <<EOF
# tandem lab sshd for $n (runs inside the node's namespaces)
Port 22
ListenAddress 0.0.0.0
HostKey $R/ssh/ssh_host_ed25519_key
PidFile /run/sshd-lab.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile $STATE/ssh/authorized_keys
# the state dir lies under the world-writable /var/tmp, which StrictModes refuses as a key path
StrictModes no
Subsystem sftp internal-sftp
EOF
        touch "$R/seeded"
    fi
    write_nfo_wrapper "$n"
}

# A bare node (up --bare): what a server has after installing the packages and NFO, before any cluster exists. Every
# file pcs cluster setup/destroy writes or removes is the node's own (corosync.conf and authkey, /etc/pacemaker/authkey,
# the CIB, pcsd's tokens), so nothing of the host's is touched; the node's own /etc/shadow holds the hacluster password
# (pcsd authenticates `pcs host auth` with it through PAM); NFO is the `nfo` service, for Pacemaker an init script
# (lsb:nfo: there is no systemd here) that asks the systemctl stand-in; and the gate agent is NOT installed (setup does).
bare_files() {
    local n=$1 R=$STATE/nodes/$1 hash
    rm -f "$R/etc/corosync/corosync.conf" "$R/etc/corosync/authkey" "$R/lib/corosync/"*
    (cd "$R/lib/pcsd" && rm -f known-hosts pcsd.crt pcsd.key pcsd.cookiesecret tokens pcs_users.conf pcs_settings.conf cfgsync_ctl)
    mkdir -p "$R/etc/pacemaker" "$R/ocf"
    chown root:haclient "$R/etc/pacemaker"
    chmod 0750 "$R/etc/pacemaker"
    # a shadow of the host's accounts, every one without a password ('*': sshd's key login still works) but hacluster
    hash=$(openssl passwd -6 -stdin <"$STATE/hacluster-password")
    awk -F: -v hash="$hash" 'BEGIN { OFS = ":" } { print $1, ($1 == "hacluster" ? hash : "*"), 19000, 0, 99999, 7, "", "", "" }' \
        /etc/passwd >"$R/etc/shadow"
    chown root:shadow "$R/etc/shadow" 2>/dev/null || true
    chmod 0640 "$R/etc/shadow"
    cp -a /etc/init.d "$R/etc/init.d"
    install -m 0755 "$LAB_DIR/node/nfo-init" "$R/etc/init.d/nfo"
    # Cold: one standalone NFO (nfo-a) until setup; the other's unit is disabled, as the systemctl stand-in records it
    if [ "$MODE" = cold ] && [ "$n" != nfo-a ]; then touch "$R/nfo-disabled"; fi
}

# The hacluster password of a bare lab, made once and kept in the state dir (0600); `status` prints it.
hacluster_password() {
    [ -s "$STATE/hacluster-password" ] && return 0
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$STATE/hacluster-password")
}

# NFO's configuration as an operator would have copied it to both nodes (the agent's manifest reads it; the lab
# NFO reads it at start). The same text on both nodes: a Hot pair without drift.
seed_nfo_config() {
    mkdir -p "$1/server/etc"
    [ -f "$1/server/etc/server.cfg" ] || printf '# NFO server settings (tandem lab)\nSYSLOG_OUTPUT siem\nTEMPLATE_TIMEOUT 1800\n' \
        >"$1/server/etc/server.cfg"
}

# The Tandem agent of node N: `agent init` exactly as an operator runs it (state in <state>/nodes/N/agent, which
# the node sees at the same path), then the lab's agent.yml over the default one. init prints the access token
# once; the lab keeps it (and the certificate fingerprint to pin) in agent/identity, 0600, for tests and hand use.
agent_files() {
    local n=$1 A=$STATE/nodes/$1/agent out
    if [ ! -f "$A/identity" ]; then
        # shellcheck disable=SC2086  # JVM_OPTS is a word list
        out=$("$JAVA" $JVM_OPTS -jar "$JAR" agent init --state-dir "$A" --host "${NODE_IP[$n]}" --host "$n" 2>&1) \
            || die "$n: agent init failed: $out"
        (umask 077; grep -E '^(token|fingerprint)=' <<<"$out" >"$A/identity")
    fi
    cat >"$A/agent.yml" <<EOF
# Tandem agent of lab node $n, written by pacemaker-lab.sh (see docs/pacemaker-lab.md)
listen:
  address: 0.0.0.0
  port: $AGENT_PORT
state-dir: '$A'
nfo:
  home: $(nfo_home "$n")
  service-unit: nfo.service       # answered by the lab's systemctl stand-in from the Pacemaker-run process
  config:
    include: ["server/etc/**"]
    exclude: ["**/*.log", "**/*.tmp"]
  flow-input-ports: [$NFO_PORT]
capture:
  source: tcpdump
EOF
    if [ "$MODE" = cold ]; then
        cat >>"$A/agent.yml" <<EOF
tools:
  paths:
    drbdsetup: /usr/local/sbin/drbdsetup   # the lab's DRBD status stand-in (Cold mode; see docs/pacemaker-lab.md)
EOF
    fi
    chmod 0600 "$A/agent.yml"
}

common_files() {
    mkdir -p "$STATE/bin" "$STATE/ocf" "$STATE/nodes" "$STATE/shared"
    install -m 0755 "$LAB_DIR/node/node-init.sh" "$STATE/bin/node-init.sh"
    install -m 0755 "$LAB_DIR/node/systemctl" "$STATE/bin/systemctl"
    # Cold mode's DRBD status stand-in; node-init mounts this directory over /usr/local/sbin in Cold nodes only
    mkdir -p "$STATE/drbd-bin"
    install -m 0755 "$LAB_DIR/node/drbdsetup" "$STATE/drbd-bin/drbdsetup"
    install -m 0755 "$LAB_DIR/ocf/tandem-gate" "$STATE/ocf/gate"
    [ -f "$STATE/authkey" ] || { dd if=/dev/urandom of="$STATE/authkey" bs=256 count=1 status=none; chmod 0400 "$STATE/authkey"; }
    # The boot-time blocked gate, exactly the agent's stop transaction.
    OCF_RESKEY_destinations=$DESTINATIONS "$LAB_DIR/ocf/tandem-gate" print-block >"$STATE/gate-block.nft" \
        || die "invalid --destinations '$DESTINATIONS'"
    echo "simulated DRBD-replicated configuration volume (Cold mode; see docs/pacemaker-lab.md)" \
        >"$STATE/shared/README"
    seed_nfo_config "$STATE/shared"
}

# ---------------------------------------------------------------------------------------------------------
# nodes
# ---------------------------------------------------------------------------------------------------------
boot_node() {
    local n=$1 ns=${NODE_NS[$1]} R=$STATE/nodes/$1 up child start
    if node_pid "$n" >/dev/null; then return 0; fi
    # A recorded unshare of this node that is still alive without a known PID 1 is a half-booted node
    # (e.g. an earlier `up` was interrupted): kill it rather than run two copies of the node.
    local kind pid st what
    while read -r kind pid st what; do
        if [ "$kind" = proc ] && [ "$what" = "unshare $n" ] && proc_alive "$pid" "$st"; then
            log "$n: killing a half-booted earlier instance (unshare pid $pid)"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            while proc_alive "$pid" "$st"; do sleep 0.05; done
        fi
    done <"$LEDGER"
    mkdir -p "$R/log"
    # setsid: own session, so the node survives this shell; --kill-child: if unshare dies, so does the node.
    setsid ip netns exec "$ns" unshare --pid --fork --kill-child --mount --uts --propagation private \
        "$STATE/bin/node-init.sh" "$n" "$STATE" >>"$R/log/unshare.log" 2>&1 </dev/null &
    up=$!
    record proc "$up" "$(proc_start "$up")" "unshare $n"
    # the node's PID 1 is unshare's only child
    child=""
    for _ in $(seq 1 50); do
        child=$(ps -o pid= --ppid "$up" 2>/dev/null | tr -d ' ' | head -n 1 || true)
        [ -n "$child" ] && break
        sleep 0.1
    done
    [ -n "$child" ] || die "$n: no PID 1 appeared (see $R/log/unshare.log)"
    start=$(proc_start "$child")
    echo "$child $start" >"$R/init.pid"
    record proc "$child" "$start" "init $n"
    log "$n booting: PID 1 = host pid $child"
}

crm_xml() {  # crm_mon XML from the first running node
    local n
    for n in "${NODES[@]}"; do
        if node_pid "$n" >/dev/null; then
            in_node "$n" crm_mon --one-shot --output-as=xml 2>/dev/null && return 0
        fi
    done
    return 1
}

both_online() {
    local x
    x=$(crm_xml) || return 1
    [ "$(grep -cE '<node name="nfo-[ab]" [^>]*online="true"' <<<"$x")" -eq 2 ]
}

rsc_location() {  # nodes where a resource runs (crm_resource --locate), space separated
    local n out
    for n in "${NODES[@]}"; do
        node_pid "$n" >/dev/null || continue
        out=$(in_node "$n" crm_resource --locate --resource "$1" 2>/dev/null) || continue
        sed -n 's/.*is running on: \([^ ]*\).*/\1/p' <<<"$out" | sort | tr '\n' ' ' | sed 's/ $//'
        return 0
    done
    return 1
}

gate_state() {  # OPEN / BLOCKED / ABSENT / ERROR as the agent's monitor sees it in node N
    local rc=0
    node_pid "$1" >/dev/null || { echo DOWN; return 0; }
    # a bare node has no gate agent until setup installs it
    in_node "$1" test -x /usr/lib/ocf/resource.d/tandem/gate || { echo "NOT-INSTALLED"; return 0; }
    in_node "$1" env OCF_RESKEY_destinations="$DESTINATIONS" /usr/lib/ocf/resource.d/tandem/gate monitor \
        >/dev/null 2>&1 || rc=$?
    case $rc in 0) echo OPEN ;; 7) echo BLOCKED ;; *) echo "ERROR(rc=$rc)" ;; esac
}

cib_ready() { in_node "$1" cibadmin --query --scope nodes --local >/dev/null 2>&1; }

resources_exist() { in_node "$1" cibadmin --query --scope resources 2>/dev/null | grep -q 'id="nfo-gate"'; }

# Hot : nfo (anything) cloned on both nodes, nfo-vip colocated with a running nfo instance, nfo-gate
#       colocated with nfo-vip and ordered after it.
# Cold: group nfo-group = nfo-fs (Filesystem, bind of the simulated replicated volume) -> nfo-vip -> nfo ->
#       nfo-gate (one NFO instance; the passive runs no NFO and its gate stays blocked).
#
# Built with `pcs -f` on a copy of the CIB and pushed in ONE transaction: created one by one, Pacemaker starts
# each resource as it appears, before the constraints that follow exist, e.g. nfo-gate (OPEN) on the node
# without the VIP, and the sink receives both nodes' output for a few seconds (seen here: a double-open at
# every lab start).
create_resources() {
    local n=$1 cib=/run/lab-resources.xml
    local p=(in_node "$1" pcs -f "$cib")
    log "creating $MODE resources with pcs on $n"
    in_node "$n" pcs cluster cib "$cib"
    "${p[@]}" resource defaults update resource-stickiness=100 >/dev/null
    # pidfile: the systemctl stand-in (lab/node/systemctl NFO_PIDFILE) reads it to answer `systemctl show nfo`
    local nfo_params=(binfile=/var/lib/nfo-lab/run-nfo logfile=/var/lib/nfo-lab/nfo.log pidfile=/run/nfo.pid
        op monitor interval=5s timeout=20s)
    local vip_params=("ip=$VIP" "cidr_netmask=$PREFIX" nic=eth0 op monitor interval=5s timeout=20s)
    local gate_params=(destinations="$DESTINATIONS" op monitor interval=5s timeout=20s)
    if [ "$MODE" = hot ]; then
        "${p[@]}" resource create nfo ocf:heartbeat:anything "${nfo_params[@]}" clone
        "${p[@]}" resource create nfo-vip ocf:heartbeat:IPaddr2 "${vip_params[@]}"
        "${p[@]}" resource create nfo-gate ocf:tandem:gate "${gate_params[@]}"
        "${p[@]}" constraint colocation add nfo-vip with nfo-clone INFINITY
        "${p[@]}" constraint order start nfo-clone "then" start nfo-vip
        "${p[@]}" constraint colocation add nfo-gate with nfo-vip INFINITY
        "${p[@]}" constraint order start nfo-vip "then" start nfo-gate
    else
        "${p[@]}" resource create nfo-fs ocf:heartbeat:Filesystem device="$STATE/shared" \
            directory=/var/lib/nfo-lab/shared fstype=none options=bind op monitor interval=10s --group nfo-group
        "${p[@]}" resource create nfo-vip ocf:heartbeat:IPaddr2 "${vip_params[@]}" --group nfo-group
        "${p[@]}" resource create nfo ocf:heartbeat:anything "${nfo_params[@]}" --group nfo-group
        "${p[@]}" resource create nfo-gate ocf:tandem:gate "${gate_params[@]}" --group nfo-group
    fi
    in_node "$n" pcs cluster cib-push "$cib" --config
    in_node "$n" rm -f "$cib"
}

resources_started() {  # the active side is complete: VIP and gate on one node, NFO running where expected
    local vip gate nfo
    vip=$(rsc_location nfo-vip) || return 1
    gate=$(rsc_location nfo-gate) || return 1
    nfo=$(rsc_location nfo) || return 1
    [ -n "$vip" ] && [ "$vip" = "$gate" ] || return 1
    if [ "$MODE" = hot ]; then [ "$nfo" = "nfo-a nfo-b" ]; else [ "$nfo" = "$vip" ]; fi
}

wait_until() {  # wait_until SECONDS DESCRIPTION CMD...
    local limit=$1 what=$2 t0
    shift 2
    t0=$(now_ms)
    while ! "$@"; do
        [ $(($(now_ms) - t0)) -lt $((limit * 1000)) ] || die "timeout after ${limit}s waiting for $what"
        sleep 0.25
    done
}

load_config() {
    [ -f "$STATE/config" ] || die "no lab at $STATE (run: $0 up)"
    # shellcheck disable=SC1091
    . "$STATE/config"
}

# ---------------------------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------------------------
cmd_up() {
    MODE=hot
    TOKEN=1000
    JAR=""
    JAVA=${JAVA:-$(command -v java || true)}
    NFO_CMD=""
    AGENT_CMD=""
    DESTINATIONS=$DEFAULT_DESTINATIONS
    BARE=no
    while [ $# -gt 0 ]; do
        case "$1" in
            --bare) BARE=yes; shift ;;
            --mode) MODE=$2; shift 2 ;;
            --token) TOKEN=$2; shift 2 ;;
            --jar) JAR=$2; shift 2 ;;
            --java) JAVA=$2; shift 2 ;;
            --nfo-cmd) NFO_CMD=$2; shift 2 ;;
            --agent-cmd) AGENT_CMD=$2; shift 2 ;;
            --destinations) DESTINATIONS=$2; shift 2 ;;
            *) die "up: unknown option $1" ;;
        esac
    done
    case "$MODE" in hot|cold) ;; *) die "--mode must be hot or cold" ;; esac
    [[ "$TOKEN" =~ ^[1-9][0-9]{2,5}$ ]] || die "--token must be milliseconds (100-999999)"
    # tandem.jar runs the NFO, the agents, the sink and the exporters, unless a stand-in NFO is given without
    # --jar (lab/selftest.sh): then the lab is Pacemaker + gate + sshd only, and the caller brings the rest.
    if [ -n "$JAR" ] || [ -z "$NFO_CMD" ]; then
        JAR=${JAR:-${TANDEM_JAR:-$REPO_DIR/target/tandem.jar}}
        [ -f "$JAR" ] || die "no tandem.jar at $JAR (build it: ./mvnw -B package -DskipTests; or pass --jar PATH or --nfo-cmd CMD)"
        JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
        [ -x "$JAVA" ] || die "no java (pass --java PATH)"
        local java jar
        java=$(printf %q "$JAVA")
        jar=$(printf %q "$JAR")
        # {home}/{node} are replaced per node (write_nfo_wrapper); exec: Pacemaker's pid file names the JVM itself
        [ -n "$NFO_CMD" ] || NFO_CMD="exec $java $JVM_OPTS -jar $jar lab nfo --name {node} --home {home} --listen 0.0.0.0:$NFO_PORT --output $CLIENT_IP:514/udp"
        # NODE is exported by node-init.sh; the agent's state and agent.yml are under <state>/nodes/<node>/agent
        [ -n "$AGENT_CMD" ] || AGENT_CMD="exec $java $JVM_OPTS -jar $jar agent --config $(printf %q "$STATE")/nodes/\"\$NODE\"/agent/agent.yml"
    fi
    require_root
    require_tools
    local t0
    t0=$(now_ms)
    if [ -f "$STATE/config" ]; then
        local want_mode=$MODE want_token=$TOKEN want_bare=$BARE
        # shellcheck disable=SC1091
        (. "$STATE/config"; [ "$MODE" = "$want_mode" ] && [ "$TOKEN" = "$want_token" ] && [ "${BARE:-no}" = "$want_bare" ]) \
            || die "a lab with other --mode/--token/--bare exists at $STATE; run '$0 down' first"
        log "lab state exists at $STATE: completing what is missing"
    fi
    mkdir -p "$STATE"
    touch "$LEDGER"
    write_config
    [ "$BARE" = no ] || hacluster_password
    host_mountpoints
    common_files
    ssh_keys
    net_up
    local n
    for n in "${NODES[@]}"; do node_files "$n"; done
    if [ -n "$JAR" ]; then
        for n in "${NODES[@]}"; do agent_files "$n" & done
        wait_all "agent init"
    fi
    for n in "${NODES[@]}"; do boot_node "$n"; done
    # the client's Java processes start while the cluster forms (they need nothing from it to start)
    [ -z "$JAR" ] || client_processes
    if [ "$BARE" = yes ]; then
        bare_ready "$t0"
        return 0
    fi
    wait_until 90 "both nodes online" both_online
    local t_online
    t_online=$(now_ms)
    log "both nodes online after $((t_online - t0)) ms"
    # the CIB answers a moment after the nodes show online; pcs fails with "unable to get cib" before that
    wait_until 30 "the CIB" cib_ready nfo-a
    resources_exist nfo-a || create_resources nfo-a
    wait_until 90 "resources started" resources_started
    local t_done
    t_done=$(now_ms)
    log "resources started after $((t_done - t0)) ms: vip on $(rsc_location nfo-vip), nfo on $(rsc_location nfo)"
    if [ -n "$JAR" ]; then
        for n in "${NODES[@]}"; do wait_until 90 "the agent of $n" listening "${NODE_NS[$n]}" tcp "$AGENT_PORT"; done
        if [ "$MODE" = hot ]; then
            for n in "${NODES[@]}"; do wait_until 60 "the NFO of $n" listening "${NODE_NS[$n]}" udp "$NFO_PORT"; done
        fi
        wait_until 60 "the SIEM sink" listening "${NODE_NS[client]}" udp 514
        t_done=$(now_ms)
        log "agents, NFO and sink ready after $((t_done - t0)) ms"
    fi
    echo "up_ms=$((t_done - t0)) online_ms=$((t_online - t0))" >"$STATE/last-up-timing"
    cmd_status_short
}

# up --bare: no cluster to wait for; pcsd (which pcs host auth and pcs cluster setup need), sshd, the agents and NFO.
bare_ready() {
    local t0=$1 n t_done
    for n in "${NODES[@]}"; do
        wait_until 90 "pcsd of $n" listening "${NODE_NS[$n]}" tcp 2224
        wait_until 30 "sshd of $n" listening "${NODE_NS[$n]}" tcp 22
    done
    if [ -n "$JAR" ]; then
        for n in "${NODES[@]}"; do wait_until 90 "the agent of $n" listening "${NODE_NS[$n]}" tcp "$AGENT_PORT"; done
        for n in $(bare_nfo_nodes); do wait_until 60 "the NFO of $n" listening "${NODE_NS[$n]}" udp "$NFO_PORT"; done
        wait_until 60 "the SIEM sink" listening "${NODE_NS[client]}" udp 514
    fi
    t_done=$(now_ms)
    log "bare nodes ready after $((t_done - t0)) ms: pcsd, sshd, agents and NFO, no cluster"
    echo "up_ms=$((t_done - t0)) bare=yes" >"$STATE/last-up-timing"
    cmd_status_short
}

# Where NFO runs standalone in a bare lab: both nodes (Hot), or only nfo-a (Cold: one NFO reads the replicated files).
bare_nfo_nodes() { if [ "$MODE" = cold ]; then echo nfo-a; else echo "${NODES[@]}"; fi; }

wait_all() {  # waits for every background job of this shell; fails when one failed
    local pid failed=0
    for pid in $(jobs -p); do wait "$pid" || failed=1; done
    [ "$failed" = 0 ] || die "$1 failed"
}

listening() {  # listening NETNS tcp|udp PORT: a socket is bound to PORT in that namespace
    local flag=-ltn
    [ "$2" = udp ] && flag=-lun
    ip netns exec "$1" ss -H "$flag" "sport = :$3" 2>/dev/null | grep -q .
}

# The client's SIEM sink (JSON report every second in <state>/client/sink.json) and exporter simulator (NetFlow
# IPFIX to both nodes' flow port, as Hot mode wants), started once and recorded, so `down` kills them.
client_processes() {
    mkdir -p "$STATE/client"
    # shellcheck disable=SC2086  # JVM_OPTS is a word list
    client_running sink || spawn_recorded sink "$JAVA" $JVM_OPTS -jar "$JAR" lab sink --listen "$CLIENT_IP:514" \
        --report "$STATE/client/sink.json"
    # shellcheck disable=SC2086
    client_running exporters || spawn_recorded exporters "$JAVA" $JVM_OPTS -jar "$JAR" lab exporters \
        --to "${NODE_IP[nfo-a]}:$NFO_PORT,${NODE_IP[nfo-b]}:$NFO_PORT" --exporters 2 --templates 2 --version 10 \
        --template-interval 5 --rate 40
}

client_running() {  # a recorded client process NAME is still alive
    local kind pid st what
    [ -f "$LEDGER" ] || return 1
    while read -r kind pid st what; do
        if [ "$kind" = proc ] && [ "$what" = "client-$1" ] && proc_alive "$pid" "$st"; then return 0; fi
    done <"$LEDGER"
    return 1
}

spawn_recorded() {  # spawn_recorded NAME CMD...: background in the client namespace, own session, log client/NAME.log
    local name=$1 pid
    shift
    setsid ip netns exec "${NODE_NS[client]}" "$@" >>"$STATE/client/$name.log" 2>&1 </dev/null &
    pid=$!
    record proc "$pid" "$(proc_start "$pid")" "client-$name"
    log "client: $name started (pid $pid)"
}

cmd_status_short() {
    local n
    for n in "${NODES[@]}"; do
        if node_pid "$n" >/dev/null; then
            printf '%-6s running (pid %s)  gate %s\n' "$n" "$(node_pid "$n")" "$(gate_state "$n")"
        else
            printf '%-6s DOWN\n' "$n"
        fi
    done
}

cmd_status() {
    load_config
    echo "lab: $STATE  mode=$MODE token=${TOKEN}ms destinations=$DESTINATIONS bare=${BARE:-no}"
    if [ "${BARE:-no}" = yes ]; then echo "hacluster-password=$(cat "$STATE/hacluster-password")"; fi
    local n iso
    for n in "${NODES[@]}"; do
        iso=""
        [ -f "$STATE/nodes/$n/isolated" ] && iso="  ISOLATED (link cut)"
        if node_pid "$n" >/dev/null; then
            printf '%-6s running (pid %s)  gate %s  nfo %s  agent %s%s\n' "$n" "$(node_pid "$n")" "$(gate_state "$n")" \
                "$(in_node "$n" systemctl show nfo -p ActiveState,MainPID | tr '\n' ' ')" \
                "$(if listening "${NODE_NS[$n]}" tcp "$AGENT_PORT"; then echo "listening on $AGENT_PORT"; else echo -; fi)" "$iso"
        else
            printf '%-6s DOWN%s\n' "$n" "$iso"
        fi
    done
    for n in "${NODES[@]}"; do
        if node_pid "$n" >/dev/null; then
            echo "--- crm_mon -1 (from $n)"
            in_node "$n" crm_mon -1 || true
            return 0
        fi
    done
    echo "--- no node running"
}

cmd_kill_node() {
    local n pid
    n=$(node_name "$1")
    load_config
    pid=$(node_pid "$n") || { log "$n is not running"; return 0; }
    kill -KILL "$pid"
    while [ -d "/proc/$pid" ]; do sleep 0.05; done
    rm -f "$STATE/nodes/$n/init.pid"
    log "$n crashed (SIGKILL of its PID 1, host pid $pid)"
}

cmd_stop_node() {
    local n pid
    n=$(node_name "$1")
    load_config
    pid=$(node_pid "$n") || { log "$n is not running"; return 0; }
    kill -TERM "$pid"
    for _ in $(seq 1 1200); do
        [ -d "/proc/$pid" ] || break
        sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
        log "$n did not shut down in 120 s, killing it"
        kill -KILL "$pid"
    fi
    rm -f "$STATE/nodes/$n/init.pid"
    log "$n shut down cleanly"
}

cmd_start_node() {
    local n
    n=$(node_name "$1")
    load_config
    boot_node "$n"
}

cmd_isolate() {  # take the node's port off the bridge: its link stays up, but nothing passes
    local n
    n=$(node_name "$1")
    load_config
    ip link set "${NODE_VETH[$n]}" nomaster
    touch "$STATE/nodes/$n/isolated" 2>/dev/null || true
    log "$n isolated (${NODE_VETH[$n]} detached from $BRIDGE)"
}

cmd_heal() {
    local n
    n=$(node_name "$1")
    load_config
    ip link set "${NODE_VETH[$n]}" master "$BRIDGE"
    rm -f "$STATE/nodes/$n/isolated"
    log "$n healed (${NODE_VETH[$n]} back on $BRIDGE)"
}

cmd_exec() {
    local n
    n=$(node_name "$1")
    shift
    [ $# -gt 0 ] || die "exec: no command"
    if [ "$n" = client ]; then
        exec ip netns exec "${NODE_NS[client]}" "$@"
    fi
    local pid
    pid=$(node_pid "$n") || die "$n is not running"
    exec nsenter -t "$pid" -n -m -u -p --wd=/ -- "$@"
}

cmd_spawn() {  # background process in the client namespace, recorded for down
    local n pid
    n=$(node_name "$1")
    shift
    [ "$n" = client ] || die "spawn: only 'client' (node processes belong to Pacemaker or --agent-cmd)"
    [ $# -gt 0 ] || die "spawn: no command"
    load_config
    mkdir -p "$STATE/client"
    setsid ip netns exec "${NODE_NS[client]}" "$@" >>"$STATE/client/spawn.log" 2>&1 </dev/null &
    pid=$!
    sleep 0.1
    record proc "$pid" "$(proc_start "$pid")" "client: $*"
    echo "$pid"
}

cmd_ssh() {
    local n
    n=$(node_name "$1")
    shift
    exec ssh -i "$STATE/ssh/id_ed25519" -o UserKnownHostsFile="$STATE/ssh/known_hosts" \
        -o StrictHostKeyChecking=accept-new -o BatchMode=yes "root@${NODE_IP[$n]}" "$@"
}

cmd_wait_online() {
    load_config
    wait_until "${1:-90}" "both nodes online" both_online
    wait_until "${1:-90}" "resources started" resources_started
}

cmd_down() {
    local keep=no
    [ "${1:-}" = --keep-state ] && keep=yes
    require_root
    [ -f "$LEDGER" ] || { log "no lab at $STATE: nothing to do"; return 0; }
    # 1. processes, newest first; a PID whose start time changed is someone else's now and is left alone
    local kind a b rest
    local -a procs=()
    while read -r kind a b rest; do
        [ "$kind" = proc ] && procs=("$a $b $rest" "${procs[@]}")
    done <"$LEDGER"
    local p pid start what
    for p in "${procs[@]}"; do
        read -r pid start what <<<"$p"
        if proc_alive "$pid" "$start"; then
            log "killing $what (pid $pid)"
            # spawned client commands are session leaders (setsid): take their whole process group
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    for p in "${procs[@]}"; do
        read -r pid start what <<<"$p"
        while proc_alive "$pid" "$start"; do sleep 0.05; done
    done
    # 2. namespaces (their veth ends go with them), then links, then host mount point directories
    local leftover
    while read -r kind a rest; do
        if [ "$kind" = netns ] && ip netns list | grep -qw "^$a"; then
            leftover=$(ip netns pids "$a" 2>/dev/null | tr '\n' ' ')
            [ -z "$leftover" ] || log "WARNING: processes not started by the lab still in $a: $leftover(not killed)"
            ip netns delete "$a"
            log "deleted netns $a"
        fi
    done <"$LEDGER"
    while read -r kind a rest; do
        if [ "$kind" = link ] && ip link show "$a" >/dev/null 2>&1; then
            ip link delete "$a"
            log "deleted link $a"
        fi
    done <"$LEDGER"
    while read -r kind a rest; do
        if [ "$kind" = mount ] && mountpoint -q "$a"; then
            if [ "$a" = /run/netns ] && [ -n "$(ls -A /run/netns)" ]; then
                log "WARNING: /run/netns holds other namespaces now, left mounted"
            else
                umount "$a" && log "unmounted $a"
            fi
        fi
    done <"$LEDGER"
    while read -r kind a rest; do
        if [ "$kind" = hostdir ] && [ -d "$a" ]; then
            if rmdir "$a" 2>/dev/null; then log "removed $a"; else log "WARNING: $a not empty, left in place"; fi
        fi
    done <"$LEDGER"
    if [ "$keep" = yes ]; then
        # moved aside, so that the next `up` starts from scratch (fresh corosync.conf, CIB and keys)
        local kept
        kept="$STATE.kept.$(date +%Y%m%d-%H%M%S)"
        # not the nodes' own file system layers (copies of the host's /etc files, installed software)
        rm -rf "$STATE"/nodes/*/fs
        mv "$LEDGER" "$LEDGER.done"
        mv "$STATE" "$kept"
        log "state (logs, CIBs) kept in $kept; delete it when done"
    else
        rm -rf "$STATE"
        log "removed $STATE"
    fi
}

main() {
    local cmd=${1:-}
    shift || true
    case "$cmd" in
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        status) cmd_status ;;
        kill-node) cmd_kill_node "${1:-}" ;;
        stop-node) cmd_stop_node "${1:-}" ;;
        start-node) cmd_start_node "${1:-}" ;;
        isolate) cmd_isolate "${1:-}" ;;
        heal) cmd_heal "${1:-}" ;;
        exec) cmd_exec "$@" ;;
        spawn) cmd_spawn "$@" ;;
        ssh) cmd_ssh "$@" ;;
        wait-online) cmd_wait_online "$@" ;;
        *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$cmd" ] || [ "$cmd" = help ] || exit 2 ;;
    esac
}

main "$@"
