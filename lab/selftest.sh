#!/usr/bin/env bash
# selftest.sh [--mode hot|cold] [--token MS] [--samples DIR]
#
# The lab's own end-to-end check against REAL Pacemaker with a socat stand-in NFO (no jar; the console's own test
# against the lab is PacemakerLabIT):
#   1. up with a stand-in NFO (socat: UDP 9555 in, each datagram forwarded to the SIEM sink 10.77.0.2:514),
#      a SIEM sink and an exporter in the client namespace;
#   2. the active node's output reaches the sink, the passive's is dropped by its gate (counters grow);
#   3. pcs resource move nfo-vip (hot) / nfo-group (cold) to the other node --wait: the gates flip, no
#      cli-prefer constraint is left;
#   4. kill-node of the active: time until the survivor sees it offline, holds the VIP and has its gate OPEN;
#   5. start-node, wait until both online;
#   6. down, and prove no namespace, link, mount, directory or process of the lab is left.
# Prints the measured figures and a closing "selftest: N passed, N failed" line; exit 1 when any check failed.
# With --samples DIR it also writes real crm_mon/cibadmin/nft outputs there.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
L=$LAB_DIR/pacemaker-lab.sh
STATE=${TANDEM_LAB_STATE:-/var/tmp/tandem-lab}
MODE=hot
TOKEN=1000
SAMPLES=""
while [ $# -gt 0 ]; do
    case "$1" in
        --mode) MODE=$2; shift 2 ;;
        --samples) SAMPLES=$2; shift 2 ;;
        --token) TOKEN=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
# The stand-in NFO. A drop in the OUTPUT hook makes sendto() fail with EPERM, which ends socat, so the
# loop restarts it (a real NFO logs and carries on).
STANDIN='while :; do socat -u UDP-RECV:9555,reuseaddr UDP-SENDTO:10.77.0.2:514; sleep 0.1; done'
RSC=nfo-vip
[ "$MODE" = cold ] && RSC=nfo-group

passed=0
failed=0
check() {  # check DESCRIPTION CMD...
    local what=$1
    shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $what"; else failed=$((failed + 1)); echo "FAIL $what"; fi
}
ms() { date +%s%3N; }
init_pid() { awk '{print $1}' "$STATE/nodes/$1/init.pid"; }
vip_node() { "$L" exec "$1" crm_resource --locate --resource nfo-vip 2>/dev/null | sed -n 's/.*running on: \([^ ]*\).*/\1/p'; }
gate_rules() { "$L" exec "$1" nft list table inet tandem | grep -c 'tandem-gate' || true; }
sink_count() { grep -c "to $1" "$STATE/client/sink.txt" 2>/dev/null || true; }
other() { [ "$1" = nfo-a ] && echo nfo-b || echo nfo-a; }

"$L" down >/dev/null 2>&1 || true
t0=$(ms)
"$L" up --mode "$MODE" --token "$TOKEN" --nfo-cmd "$STANDIN"
UP_MS=$(($(ms) - t0))
"$L" spawn client sh -c "exec socat -u UDP-RECV:514,reuseaddr OPEN:$STATE/client/sink.txt,creat,append" >/dev/null
# shellcheck disable=SC2016  # expanded by the spawned sh
"$L" spawn client sh -c 'i=0; while :; do i=$((i+1)); for n in 10.77.0.11 10.77.0.12; do
    echo "flow $i to $n" | socat -u - UDP-SENDTO:$n:9555; done; sleep 0.2; done' >/dev/null
sleep 3

ACTIVE=$(vip_node nfo-a)
PASSIVE=$(other "$ACTIVE")
declare -A IP=([nfo-a]=10.77.0.11 [nfo-b]=10.77.0.12)
check "VIP runs on one node ($ACTIVE)" test -n "$ACTIVE"
check "active gate open (no rules)" test "$(gate_rules "$ACTIVE")" = 0
check "passive gate blocked (2 rules)" test "$(gate_rules "$PASSIVE")" = 2
check "sink receives the active's output" test "$(sink_count "${IP[$ACTIVE]}")" -gt 0
if [ "$MODE" = hot ]; then
    check "sink receives nothing from the passive" test "$(sink_count "${IP[$PASSIVE]}")" = 0
    check "passive gate counter grows" sh -c "$L exec $PASSIVE nft list table inet tandem | grep -q 'udp dport 514 counter packets [1-9]'"
fi
check "crm_mon XML says OK" sh -c "$L exec nfo-a crm_mon --one-shot --output-as=xml | grep -q '<status code=\"0\" message=\"OK\"/>'"
if [ -n "$SAMPLES" ]; then
    mkdir -p "$SAMPLES"
    "$L" exec nfo-a crm_mon --one-shot --output-as=xml >"$SAMPLES/crm_mon-$MODE-healthy.xml"
    "$L" exec nfo-a cibadmin --query --scope constraints >"$SAMPLES/cibadmin-constraints-$MODE.xml"
    "$L" exec "$ACTIVE" nft -j list table inet tandem >"$SAMPLES/nft-gate-open-$MODE.json"
    "$L" exec "$PASSIVE" nft -j list table inet tandem >"$SAMPLES/nft-gate-blocked-$MODE.json"
fi

# move
t0=$(ms)
"$L" exec nfo-a pcs resource move "$RSC" "$PASSIVE" --wait >/dev/null 2>&1
MOVE_MS=$(($(ms) - t0))
check "move: VIP now on $PASSIVE" test "$(vip_node nfo-a)" = "$PASSIVE"
check "move: gate open on $PASSIVE" test "$(gate_rules "$PASSIVE")" = 0
check "move: gate blocked on $ACTIVE" test "$(gate_rules "$ACTIVE")" = 2
check "move: no cli-prefer/cli-ban left" sh -c "! $L exec nfo-a cibadmin --query --scope constraints | grep -q 'cli-'"
ACTIVE=$PASSIVE
SURVIVOR=$(other "$ACTIVE")

# crash of the active node; poll the survivor every 100 ms
SP=$(init_pid "$SURVIVOR")
t0=$(ms)
"$L" kill-node "$ACTIVE" 2>/dev/null
OFF="" VIPT="" GATE=""
while [ $(($(ms) - t0)) -lt 60000 ]; do
    now=$(ms)
    [ -n "$OFF" ] || { nsenter -t "$SP" -n -m -u -p crm_mon --one-shot --output-as=xml 2>/dev/null \
        | grep -q "name=\"$ACTIVE\"[^>]*online=\"false\"" && OFF=$((now - t0)); } || true
    [ -n "$VIPT" ] || { nsenter -t "$SP" -n ip -4 addr show eth0 | grep -q 10.77.0.100 && VIPT=$((now - t0)); } || true
    [ -n "$GATE" ] || { nft_out=$(nsenter -t "$SP" -n nft list table inet tandem || true)
        grep -q tandem-gate <<<"$nft_out" || GATE=$((now - t0)); }
    [ -n "$OFF" ] && [ -n "$VIPT" ] && [ -n "$GATE" ] && break
    sleep 0.1
done
check "crash: survivor sees $ACTIVE offline" test -n "$OFF"
check "crash: survivor holds the VIP" test -n "$VIPT"
check "crash: survivor gate open" test -n "$GATE"
[ -z "$SAMPLES" ] || "$L" exec "$SURVIVOR" crm_mon --one-shot --output-as=xml >"$SAMPLES/crm_mon-$MODE-node-offline.xml"

t0=$(ms)
"$L" start-node "$ACTIVE" >/dev/null 2>&1
"$L" wait-online 60
REJOIN_MS=$(($(ms) - t0))
check "restarted node rejoined with gate blocked" test "$(gate_rules "$ACTIVE")" = 2

"$L" down >/dev/null 2>&1
check "down: no lab namespace" sh -c "! ip netns list | grep -q '^tlab-'"
check "down: no lab link" sh -c "! ip -br link | grep -q '^tlab'"
check "down: no lab mount" sh -c "! findmnt -rn | grep -qE 'tandem-lab|nfo-lab|resource.d/tandem'"
check "down: no lab directory" sh -c "! ls -d $STATE /var/lib/nfo-lab /usr/lib/ocf/resource.d/tandem 2>/dev/null | grep -q ."
# (bracketed letters so that the pattern does not match this check's own command line; zombies are not
# processes any more, only entries the host's PID 1 has not reaped yet)
check "down: no lab process" sh -c "! ps -eo stat=,args= | grep -v '^Z' | grep -qE 'tandem-la[b]|node-ini[t]|corosync -[f]|pacemaker[d]|UDP-RECV:955[5]'"

echo "figures ($MODE, token ${TOKEN}ms): up_ms=$UP_MS move_ms=$MOVE_MS crash_offline_ms=$OFF crash_vip_ms=$VIPT crash_gate_open_ms=$GATE rejoin_ms=$REJOIN_MS"
echo "selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
