-- What the monitor saw change: role changes and findings raised or cleared, per pair, kept for a retention period.
create table monitor_event (
    id          bigserial primary key,
    cluster_id  uuid         not null references cluster (id) on delete cascade,
    occurred_at timestamptz  not null,
    kind        varchar(16)  not null check (kind in ('ROLE', 'RAISED', 'CLEARED')),
    node        varchar(63),
    severity    varchar(16),
    subject     varchar(64)  not null,
    text        varchar(2000) not null
);
create index monitor_event_cluster_time_idx on monitor_event (cluster_id, occurred_at desc);
