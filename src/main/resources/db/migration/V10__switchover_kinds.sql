-- the make-before-break switchover, the restart of the active built on it, and the rollback of a copy
alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check check (kind in ('RESTART_NFO', 'COPY_CONFIG', 'FAILOVER',
    'SWITCHOVER', 'RESTART_ACTIVE', 'RESTART_ACTIVE_AND_BACK', 'ROLLBACK_CONFIG'));
