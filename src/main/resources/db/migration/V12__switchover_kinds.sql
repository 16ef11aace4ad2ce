-- the make-before-break switchover, the restart of the active built on it, and the rollback of a copy; the list names
-- every OperationKind (V11 added the Pacemaker controls)
alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check check (kind in ('RESTART_NFO', 'COPY_CONFIG', 'FAILOVER',
    'SWITCHOVER', 'RESTART_ACTIVE', 'RESTART_ACTIVE_AND_BACK', 'ROLLBACK_CONFIG',
    'CLEAR_CONSTRAINTS', 'CLEANUP_RESOURCE', 'NODE_STANDBY', 'NODE_UNSTANDBY', 'MAINTENANCE_ON', 'MAINTENANCE_OFF',
    'RESOURCE_ENABLE', 'RESOURCE_DISABLE'));
