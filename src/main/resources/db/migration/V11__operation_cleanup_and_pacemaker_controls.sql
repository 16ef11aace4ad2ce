-- Clean-up steps (ops branch): a step marked cleanup runs whatever happened before it; when it fails (or never ran
-- because the console stopped), the pair carries a CRITICAL finding offering fix_kind on fix_subject until an
-- operation doing that succeeds.
alter table operation_step add column cleanup boolean not null default false;
alter table operation_step add column fix_kind varchar(32);
alter table operation_step add column fix_subject varchar(255);
create index operation_step_failed_cleanup_idx on operation_step (operation_id) where cleanup and status = 'FAILED';

-- Pacemaker controls are operations too; 'node' holds what they act on (a node, a resource, or the pair's name).
-- V12 re-creates this constraint with the switchover kinds as well.
alter table operation drop constraint if exists operation_kind_check;
alter table operation add constraint operation_kind_check check (kind in ('RESTART_NFO', 'COPY_CONFIG', 'FAILOVER',
    'CLEAR_CONSTRAINTS', 'CLEANUP_RESOURCE', 'NODE_STANDBY', 'NODE_UNSTANDBY', 'MAINTENANCE_ON', 'MAINTENANCE_OFF',
    'RESOURCE_ENABLE', 'RESOURCE_DISABLE'));
