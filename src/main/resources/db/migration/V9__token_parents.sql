-- A token minted with another token lives no longer than its parent and is revoked with it.
alter table api_token add column parent_id uuid references api_token (id) on delete cascade;
create index api_token_parent_idx on api_token (parent_id);

-- Failed logins are counted per client address (LoginThrottle), no longer on the account, so that
-- nobody can lock a user out from everywhere.
alter table app_user drop column failed_logins;
alter table app_user drop column locked_until;
