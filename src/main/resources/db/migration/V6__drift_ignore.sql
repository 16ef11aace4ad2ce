-- Files a pair's operators accept as different on the two nodes (host-specific settings, licences):
-- path globs relative to the NFO home, one per line, applied before config drift is judged.
alter table cluster add column drift_ignore text not null default '';
