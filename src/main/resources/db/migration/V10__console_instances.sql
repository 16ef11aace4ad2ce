-- Several consoles on one database (issue 16, tandem.instances.enabled). Times are the database's own (now()), so
-- the consoles' clocks never decide who holds a pair.

-- The consoles alive: each renews its heartbeat every second; one silent for longer than its lease is gone.
create table console_instance (
    id           uuid primary key,
    name         varchar(200) not null,
    started_at   timestamptz  not null,
    heartbeat_at timestamptz  not null
);

-- Which console reads a pair's nodes, until when. A lease not renewed in time is free for another console.
create table pair_lease (
    cluster_id  uuid primary key references cluster (id) on delete cascade,
    instance_id uuid        not null,
    expires_at  timestamptz not null
);
create index pair_lease_instance_idx on pair_lease (instance_id);

-- What the console that holds a pair learned of it, for the other consoles to judge and show the same picture: the
-- latest observation of each node (kind NODE, subject the node) and the files that differ between the nodes (kind
-- DRIFT, subject the pair). version grows with every write; a console reads what is newer than it saw.
create sequence pair_share_version;
create table pair_share (
    subject_id uuid        primary key,
    cluster_id uuid        not null references cluster (id) on delete cascade,
    kind       varchar(8)  not null check (kind in ('NODE', 'DRIFT')),
    version    bigint      not null,
    body       text        not null
);
create index pair_share_version_idx on pair_share (version);

-- The console that runs an operation: another console marks it INTERRUPTED when that one is gone.
alter table operation add column instance_id uuid;

-- Browser sessions shared by the consoles (Spring Session JDBC's PostgreSQL schema).
create table spring_session (
    primary_id            char(36)     not null,
    session_id            char(36)     not null,
    creation_time         bigint       not null,
    last_access_time      bigint       not null,
    max_inactive_interval int          not null,
    expiry_time           bigint       not null,
    principal_name        varchar(100),
    constraint spring_session_pk primary key (primary_id)
);
create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

create table spring_session_attributes (
    session_primary_id char(36)     not null,
    attribute_name     varchar(200) not null,
    attribute_bytes    bytea        not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id) references spring_session (primary_id) on delete cascade
);
