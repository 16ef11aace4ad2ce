-- the make-before-break switchover and the restart of the active built on it
alter table operation drop constraint operation_kind_check;
alter table operation add constraint operation_kind_check check (kind in ('RESTART_NFO', 'COPY_CONFIG', 'FAILOVER',
    'SWITCHOVER', 'RESTART_ACTIVE', 'RESTART_ACTIVE_AND_BACK'));
