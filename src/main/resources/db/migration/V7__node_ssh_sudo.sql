-- Whether the agentless adapter runs the node's tools as 'sudo -n' (the SSH user is not root).
alter table node add column ssh_sudo boolean not null default false;
