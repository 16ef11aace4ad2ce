-- the setup's drill, a handover there and back (ADR 0019); the list names every OperationKind
-- (V18 added setup, undo and dismantle, V17 the agent's install, upgrade and removal, V12 the switchovers)
alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check check (kind in ('RESTART_NFO', 'COPY_CONFIG', 'FAILOVER',
    'SWITCHOVER', 'RESTART_ACTIVE', 'RESTART_ACTIVE_AND_BACK', 'ROLLBACK_CONFIG', 'DRILL',
    'CLEAR_CONSTRAINTS', 'CLEANUP_RESOURCE', 'NODE_STANDBY', 'NODE_UNSTANDBY', 'MAINTENANCE_ON', 'MAINTENANCE_OFF',
    'RESOURCE_ENABLE', 'RESOURCE_DISABLE',
    'INSTALL_AGENT', 'UPGRADE_AGENT', 'REMOVE_AGENT',
    'SETUP', 'UNDO_SETUP', 'DISMANTLE'));
