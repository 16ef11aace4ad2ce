-- Email beside the webhook: a pair's recipients, and which channel carried each recorded send.
create table alert_mail (
    cluster_id  uuid primary key references cluster (id) on delete cascade,
    recipients  varchar(2000) not null,
    enabled     boolean       not null default true,
    updated_at  timestamptz   not null
);

alter table alert_send add column channel varchar(16) not null default 'WEBHOOK'
    check (channel in ('WEBHOOK', 'MAIL'));
