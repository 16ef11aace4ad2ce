-- Foundation: identity, API tokens, the append-only audit log, and the fleet (clusters with two nodes).

create table app_user (
    id                   uuid primary key,
    username             varchar(64)  not null,
    password_hash        varchar(255) not null,
    role                 varchar(16)  not null check (role in ('VIEWER', 'OPERATOR', 'ADMIN')),
    enabled              boolean      not null default true,
    must_change_password boolean      not null default false,
    failed_logins        integer      not null default 0,
    locked_until         timestamptz,
    created_at           timestamptz  not null,
    password_changed_at  timestamptz,
    version              bigint       not null default 0
);
create unique index app_user_username_key on app_user (lower(username));

create table api_token (
    id           uuid primary key,
    user_id      uuid         not null references app_user (id) on delete cascade,
    name         varchar(100) not null,
    token_hash   varchar(64)  not null unique,
    created_at   timestamptz  not null,
    expires_at   timestamptz  not null,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    version      bigint       not null default 0
);
create index api_token_user_idx on api_token (user_id);

create table audit_event (
    id             bigserial primary key,
    occurred_at    timestamptz  not null default now(),
    actor          varchar(64)  not null,
    remote_address varchar(64),
    action         varchar(64)  not null,
    target         varchar(255),
    outcome        varchar(16)  not null check (outcome in ('SUCCESS', 'FAILURE', 'DENIED')),
    details        text
);
create index audit_event_time_idx on audit_event (occurred_at desc);
create index audit_event_actor_idx on audit_event (actor);
create index audit_event_action_idx on audit_event (action);

-- The audit log is append-only for everyone, the application included.
create function audit_event_append_only() returns trigger
    language plpgsql as
$$
begin
    raise exception 'audit_event is append-only: % refused', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_event_no_update
    before update or delete on audit_event
    for each row execute function audit_event_append_only();
create trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_append_only();

create table cluster (
    id            uuid primary key,
    name          varchar(100) not null,
    mode          varchar(8)   not null check (mode in ('HOT', 'COLD')),
    description   varchar(1000),
    nfo_resource  varchar(128) not null,
    vip_resource  varchar(128),
    gate_resource varchar(128),
    drbd_resource varchar(128),
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null,
    version       bigint       not null default 0
);
create unique index cluster_name_key on cluster (lower(name));

create table node (
    id                 uuid primary key,
    cluster_id         uuid         not null references cluster (id) on delete cascade,
    position           integer      not null check (position in (0, 1)),
    name               varchar(63)  not null,
    address            varchar(255) not null,
    access             varchar(8)   not null check (access in ('AGENT', 'SSH')),
    ssh_user           varchar(32),
    ssh_port           integer      not null,
    agent_port         integer      not null,
    nfo_home           varchar(255) not null,
    service_unit       varchar(128) not null,
    config_includes    text         not null,
    config_excludes    text         not null,
    flow_ports         varchar(200) not null,
    credential         bytea,
    pinned_fingerprint varchar(128),
    unique (cluster_id, position),
    unique (cluster_id, name)
);
