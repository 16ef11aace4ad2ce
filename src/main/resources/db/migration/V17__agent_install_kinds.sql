-- Install, upgrade and remove the agent over SSH (issue 15): the kinds, listed with every OperationKind (V12 listed
-- the others), and the SSH access a node keeps while it is reached through the agent Tandem installed, so that
-- Upgrade and Remove agent can reach it over SSH again (sealed like node.credential, bound to the node).
alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check check (kind in ('RESTART_NFO', 'COPY_CONFIG', 'FAILOVER',
    'SWITCHOVER', 'RESTART_ACTIVE', 'RESTART_ACTIVE_AND_BACK', 'ROLLBACK_CONFIG',
    'CLEAR_CONSTRAINTS', 'CLEANUP_RESOURCE', 'NODE_STANDBY', 'NODE_UNSTANDBY', 'MAINTENANCE_ON', 'MAINTENANCE_OFF',
    'RESOURCE_ENABLE', 'RESOURCE_DISABLE',
    'INSTALL_AGENT', 'UPGRADE_AGENT', 'REMOVE_AGENT'));

alter table node add column kept_ssh_credential bytea;
alter table node add column kept_ssh_fingerprint varchar(128);
