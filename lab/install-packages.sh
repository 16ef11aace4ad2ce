#!/usr/bin/env bash
# Installs what the Pacemaker lab (lab/pacemaker-lab.sh) needs on a Debian 12 host, idempotently.
#
# - Only Debian packages, through apt-get (the ordinary client).
# - A temporary /usr/sbin/policy-rc.d that exits 101 stops apt from starting corosync, pacemaker,
#   pcsd or sshd on the HOST (the lab runs them inside namespaces only). An existing policy-rc.d is
#   kept aside and put back afterwards, byte for byte, whatever happens (trap on EXIT).
# - When every package is already installed it does nothing (no apt-get update, no network).
#
# Usage: lab/install-packages.sh          (as root)
set -euo pipefail

PACKAGES=(
  pacemaker        # 2.1.5 on Debian 12: pacemakerd, crm_mon, cibadmin, crm_resource ...
  corosync         # 3.1.7, knet transport
  pcs              # 0.11.5; used without pcsd, local commands only
  crmsh            # the other CLI, for comparison and for tests that want it
  resource-agents  # ocf:heartbeat:anything, IPaddr2, Filesystem
  iproute2         # ip netns / veth / bridge
  nftables         # the output gate (ADR 0002)
  openssh-server   # sshd inside each node for Tandem's SSH adapter
  openssh-client   # ssh-keygen for the lab key pair, ssh for checks
  tcpdump          # watching the lab network
  socat            # the stand-in NFO process and the SIEM sink in self-tests
  util-linux       # unshare, nsenter, mount, losetup
  procps           # ps (the lab kills by recorded PID only, never by name)
  kmod             # modprobe: ocf:heartbeat:Filesystem refuses to run without it (Cold mode)
  sudo             # the agent package: its user reaches the tools through sudo -n and /etc/sudoers.d/tandem-agent
  default-jre-headless  # the agent package depends on it (Java 17 on Debian 12)
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-packages.sh: must run as root" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-packages.sh: all lab packages already installed"
  exit 0
fi
echo "install-packages.sh: installing ${missing[*]}"

POLICY=/usr/sbin/policy-rc.d
SAVED=""
if [ -e "$POLICY" ] || [ -L "$POLICY" ]; then
  SAVED="$(mktemp /usr/sbin/.policy-rc.d.tandem-saved.XXXXXX)"
  cp -a "$POLICY" "$SAVED"
fi
restore_policy() {
  if [ -n "$SAVED" ]; then
    mv -f "$SAVED" "$POLICY"          # restore the previous one exactly
  else
    rm -f "$POLICY"                   # there was none: leave none
  fi
}
trap restore_policy EXIT
printf '#!/bin/sh\n# temporary, written by tandem lab/install-packages.sh: start no daemon\nexit 101\n' >"$POLICY"
chmod 0755 "$POLICY"

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-packages.sh: done"
