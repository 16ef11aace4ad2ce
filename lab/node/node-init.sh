#!/bin/bash
# node-init.sh NODE STATE_DIR
#
# PID 1 of one lab "server" (nfo-a or nfo-b). pacemaker-lab.sh starts it as
#   ip netns exec tlab-<node> unshare --pid --fork --kill-child --mount --uts --propagation private \
#       node-init.sh <node> <state>
# so it has its own network (the netns), PID, mount and UTS namespaces. It plays the part of the node's init
# system (there is no systemd here):
#   1. private /proc, tmpfs /run and /dev/shm (libqb IPC of pacemaker lives in /dev/shm; sockets are abstract,
#      i.e. per network namespace), hostname; the node's own file system: overlays over the host's /etc, /usr, /opt
#      and /var/lib (layers in <state>/nodes/<node>/fs) and a tmpfs /tmp, marked by /run/lab-private-fs;
#   2. bind-mounts the node's own copies of /etc/corosync, /var/lib/{pacemaker,corosync,pcsd},
#      /var/log/{pacemaker,corosync,pcsd}, /etc/hosts, /etc/hostname, /var/lib/nfo-lab, /root (empty), the ocf:tandem
#      provider directory and the systemctl stand-in (lab/node/systemctl) over /usr/bin/systemctl;
#   3. loads the BLOCKED output gate (fail safe at boot, like an nftables.conf would on a real server), so
#      Pacemaker's first probe of nfo-gate finds a defined state;
#   4. starts sshd, corosync and pacemaker (through the systemctl stand-in, the same path `pcs cluster
#      start/stop` takes), the optional Tandem agent (--agent-cmd), and the units enabled in the node from their unit
#      files (tandem-agent.service after the console's Install agent);
#   A bare node (pacemaker-lab.sh up --bare) binds its own /etc/shadow (the hacluster password), /etc/pacemaker,
#   /etc/init.d (with the lsb:nfo script) and an empty ocf:tandem directory (setup installs the gate agent), loads no
#   gate (standalone NFO sends), starts pcsd, NFO unless its unit was disabled, and corosync/pacemaker only once
#   a cluster was set up (corosync.conf exists).
#   5. reaps orphans forever. SIGTERM = clean shutdown (pacemaker, then corosync, then the rest).
#      SIGKILL from the host = hard crash of the whole node (the kernel kills every process of the PID
#      namespace and its private mounts vanish with it).
# Mounts made here live only in this node's mount namespace: nothing is mounted on the host.
set -u
NODE=$1
STATE=$2
R=$STATE/nodes/$NODE
LOG=$R/log/init.log
exec >>"$LOG" 2>&1 </dev/null
echo "$(date '+%F %T') node-init $NODE: booting as pid $$"

# shellcheck disable=SC1091
. "$STATE/config"   # MODE, AGENT_CMD, ...

hostname "$NODE"
mount -t proc proc /proc
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir -p /run/lock /run/sshd /run/resource-agents /run/lab-svc
chmod 0755 /run/sshd
echo "LAB_NODE_DIR=$R" >/run/lab-svc/env   # read by the systemctl stand-in

bind() {  # bind SRC DST
    mount --bind "$1" "$2" || { echo "node-init: cannot bind $1 on $2"; exit 1; }
}

# 2a. The node's own file system: an overlay over each of the host's /etc, /usr, /opt and /var/lib (lower = the host's
# directory, read only through the overlay; upper and work = <node dir>/fs/<dir>, kept across a node's reboots, removed by
# `down`) and a tmpfs /tmp. Whatever runs in the node (sshd sessions, useradd, an agent install) writes only there.
# Mounted before the binds below, which then sit on top of the overlays as before. All or nothing: when one overlay
# cannot be mounted, the others are taken off again and the node runs on the host's file system without the marker
# /run/lab-private-fs (which tests that install software require).
PRIVATE_DIRS=(/etc /usr /opt /var/lib)
private_fs() {
    local d n i mounted=()
    for d in "${PRIVATE_DIRS[@]}"; do
        [ -d "$d" ] || continue
        # an overlay reads the host's directory itself, not what the host mounted below it
        if findmnt -rn -o TARGET | grep -q "^$d/"; then
            echo "node-init: WARNING: the host has mounts below $d; the node does not see them"
        fi
        n=$R/fs/$(echo "${d#/}" | tr / _)   # etc, usr, opt, var_lib
        mkdir -p "$n/upper" "$n/work"
        if mount -t overlay "lab-$NODE" -o "lowerdir=$d,upperdir=$n/upper,workdir=$n/work" "$d"; then
            mounted+=("$d")
        else
            echo "node-init: WARNING: no overlay on $d; the node shares the host's file system"
            for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}"; done
            return 1
        fi
    done
    if ! mount -t tmpfs -o mode=1777 "lab-$NODE-tmp" /tmp; then
        echo "node-init: WARNING: no tmpfs on /tmp; the node shares the host's file system"
        for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}"; done
        return 1
    fi
    touch /run/lab-private-fs
    echo "node-init: private file system: overlays on ${mounted[*]}, tmpfs /tmp"
}
private_fs || true

bind "$R/etc/corosync" /etc/corosync
bind "$R/lib/pacemaker" /var/lib/pacemaker
bind "$R/lib/corosync" /var/lib/corosync
bind "$R/lib/pcsd" /var/lib/pcsd
bind "$R/log/pacemaker" /var/log/pacemaker
bind "$R/log/corosync" /var/log/corosync
bind "$R/log/pcsd" /var/log/pcsd
bind "$R/etc/hosts" /etc/hosts
bind "$R/etc/hostname" /etc/hostname
bind "$R/nfo-lab" /var/lib/nfo-lab
# The node's own root home: the host's /root may hold a login profile that is slow or hangs (pyenv, cargo, ...), and
# ocf:heartbeat:anything starts NFO through `su - root`, sshd runs root's shell for every console command.
mkdir -p "$R/root"
chmod 0700 "$R/root"
bind "$R/root" /root
if [ "${BARE:-no}" = yes ]; then
    bind "$R/ocf" /usr/lib/ocf/resource.d/tandem
    bind "$R/etc/shadow" /etc/shadow
    bind "$R/etc/pacemaker" /etc/pacemaker
    bind "$R/etc/init.d" /etc/init.d
else
    bind "$STATE/ocf" /usr/lib/ocf/resource.d/tandem
fi
bind "$STATE/bin/systemctl" /usr/bin/systemctl
# Cold mode: the DRBD status stand-in (lab/node/drbdsetup) on the node's PATH, for the agent and for SSH
if [ "${MODE:-hot}" = cold ]; then bind "$STATE/drbd-bin" /usr/local/sbin; fi

# A boot starts from an empty network state, but the node's network namespace outlives its PID 1 (kill-node): clear
# what a real reboot clears, the nftables rules (the gate's table with them) and the addresses added at run time (a
# VIP that IPaddr2 added as a secondary address). Left over, Pacemaker's probes found the VIP and the gate running on
# the node that had just booted and recovered both, once moving the output back to the preferred node.
nft flush ruleset || echo "node-init: WARNING: could not flush the nftables ruleset"
ip addr flush dev eth0 secondary 2>/dev/null || true

# 3. fail-safe: output BLOCKED before anything else runs (same transaction text as the agent's stop); a bare node is a
# standalone NFO server, whose output flows
if [ "${BARE:-no}" = yes ]; then
    echo "node-init: bare node, no output gate loaded"
elif nft -f "$STATE/gate-block.nft"; then
    echo "node-init: output gate loaded BLOCKED"
else
    echo "node-init: WARNING: could not load the blocked gate"
fi

shutdown() {
    echo "$(date '+%F %T') node-init $NODE: SIGTERM, clean shutdown"
    /usr/bin/systemctl stop pacemaker
    /usr/bin/systemctl stop corosync
    /usr/bin/systemctl stop sshd
    /usr/bin/systemctl stop pcsd
    kill -TERM -1 2>/dev/null   # everything else in this PID namespace (agent, stragglers)
    sleep 1
    kill -KILL -1 2>/dev/null
    echo "$(date '+%F %T') node-init $NODE: halted"
    exit 0
}
trap shutdown TERM INT

# A bare Cold node whose NFO runs standalone keeps NFO's data on the "already replicated" volume (<state>/shared), as
# a server mounts its storage at boot; once the node belongs to a cluster, Pacemaker's Filesystem resource mounts it.
if [ "${BARE:-no}" = yes ] && [ "${MODE:-hot}" = cold ] && [ ! -f /etc/corosync/corosync.conf ] && [ ! -f "$R/nfo-disabled" ]; then
    mount --bind "$STATE/shared" /var/lib/nfo-lab/shared && echo "node-init: replicated volume mounted (standalone Cold server)"
fi

/usr/bin/systemctl start sshd
if [ "${BARE:-no}" = yes ]; then
    /usr/bin/systemctl start pcsd
    [ -f "$R/nfo-disabled" ] || /usr/bin/systemctl start nfo
fi
if [ "${BARE:-no}" != yes ] || [ -f /etc/corosync/corosync.conf ]; then
    /usr/bin/systemctl start corosync
    /usr/bin/systemctl start pacemaker
fi
if [ -n "${AGENT_CMD:-}" ]; then
    # Hook for the Tandem agent: AGENT_CMD is a shell command; NODE is exported. Runs in this node's
    # namespaces, dies with the node. Log: <state>/nodes/<node>/log/agent.log
    ( export NODE; setsid /bin/sh -c "$AGENT_CMD" >>"$R/log/agent.log" 2>&1 </dev/null & )
    echo "node-init: agent started: $AGENT_CMD"
fi
# Units enabled inside the node from their unit files (systemctl enable of tandem-agent.service after Install agent) start
# at boot, as systemd starts them; the symlinks in the node's own layer of /etc say which (the host's are not the node's).
if [ -e /run/lab-private-fs ]; then
    for link in "$R"/fs/etc/upper/systemd/system/*.wants/*.service; do
        [ -L "$link" ] || continue
        /usr/bin/systemctl start "${link##*/}" || echo "node-init: ${link##*/} did not start"
    done
fi
echo "$(date '+%F %T') node-init $NODE: up"

# 5. Reap orphans: bash reaps any exited child (also re-parented ones) on SIGCHLD; `wait` returns at once
# when a trapped signal arrives, so SIGTERM is handled within a second.
while :; do
    sleep 1 &
    wait $!
done
