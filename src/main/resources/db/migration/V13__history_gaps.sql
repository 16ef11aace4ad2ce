-- A GAP row says that the history of a stretch of time was not written as it happened: the database did not answer,
-- the events were held in memory and written later with their own times, and how many (if any) were lost.
alter table monitor_event drop constraint monitor_event_kind_check;
alter table monitor_event add constraint monitor_event_kind_check check (kind in ('ROLE', 'RAISED', 'CLEARED', 'GAP'));
