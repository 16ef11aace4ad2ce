-- Runs after every migration, as the schema owner (Flyway's user): the console's own role gets only the rights
-- it needs, so the console's credentials cannot rewrite history or change the schema (ADR 0012).
-- ${console_role} is spring.datasource.username (or the embedded server's console role); when it is the
-- owner itself (one role for everything, as before), there is nothing to grant.
do $$
declare
    console text := '${console_role}';
begin
    if console = '' or console = current_user then
        return;
    end if;
    execute format('grant usage on schema %I to %I', current_schema(), console);
    execute format('grant select, insert, update, delete on all tables in schema %I to %I', current_schema(), console);
    execute format('grant usage, select on all sequences in schema %I to %I', current_schema(), console);
    -- the audit log is append-only: the console adds and reads entries, never changes, removes or truncates them
    execute format('revoke update, delete, truncate on audit_event from %I', console);
    -- the migration history is the owner's
    execute format('revoke all on %I from %I', '${flyway:table}', console);
end
$$;
