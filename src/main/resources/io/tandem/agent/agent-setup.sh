# Shared by the .deb postinst and the .rpm %post (sourced, POSIX sh): the system user and the state directory.
# Nothing is started: the unit waits for agent.yml, which `agent init` writes.
tandem_agent_setup() {
    if ! getent group tandem-agent >/dev/null; then
        groupadd --system tandem-agent
    fi
    if ! getent passwd tandem-agent >/dev/null; then
        useradd --system --gid tandem-agent --home-dir /var/lib/tandem-agent --no-create-home \
            --shell /usr/sbin/nologin --comment "Tandem agent" tandem-agent
    fi
    install -d -m 0700 -o tandem-agent -g tandem-agent /var/lib/tandem-agent
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload || true
    fi
}

# After an upgrade: an agent that was running restarts on the new jar, keeping its state directory.
tandem_agent_restart_if_running() {
    if [ -d /run/systemd/system ] && systemctl is-active --quiet tandem-agent.service; then
        systemctl restart tandem-agent.service || true
    fi
}
