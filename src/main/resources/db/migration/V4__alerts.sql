-- Where a pair's alerts go (a webhook, optionally signed) and every alert sent.
create table alert_target (
    cluster_id  uuid primary key references cluster (id) on delete cascade,
    webhook_url varchar(2000) not null,
    hmac_secret bytea,
    enabled     boolean      not null default true,
    updated_at  timestamptz  not null
);

create table alert_send (
    id          bigserial primary key,
    cluster_id  uuid         not null references cluster (id) on delete cascade,
    sent_at     timestamptz  not null,
    reason      varchar(16)  not null check (reason in ('CHANGE', 'TEST')),
    outcome     varchar(16)  not null check (outcome in ('SUCCESS', 'FAILURE')),
    http_status integer,
    detail      varchar(500),
    payload     text         not null
);
create index alert_send_cluster_time_idx on alert_send (cluster_id, sent_at desc);
