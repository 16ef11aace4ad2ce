-- Journaled operations on a pair (restart, configuration copy, failover). Each step is written before it runs and
-- after it ends, so a console that stops mid-way leaves a record of exactly where it stopped.
create table operation (
    id           uuid primary key,
    cluster_id   uuid          not null references cluster (id) on delete cascade,
    kind         varchar(32)   not null check (kind in ('RESTART_NFO', 'COPY_CONFIG', 'FAILOVER')),
    node         varchar(63)   not null,
    status       varchar(16)   not null check (status in ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED')),
    requested_by varchar(100)  not null,
    created_at   timestamptz   not null,
    finished_at  timestamptz,
    summary      varchar(2000)
);
-- one operation at a time per pair, also across console instances sharing the database
create unique index operation_one_running_per_pair on operation (cluster_id) where status = 'RUNNING';
create index operation_cluster_time_idx on operation (cluster_id, created_at desc);

create table operation_step (
    operation_id uuid          not null references operation (id) on delete cascade,
    position     integer       not null,
    name         varchar(300)  not null,
    status       varchar(16)   not null check (status in ('PENDING', 'RUNNING', 'DONE', 'FAILED', 'SKIPPED')),
    started_at   timestamptz,
    finished_at  timestamptz,
    detail       varchar(2000),
    primary key (operation_id, position)
);
