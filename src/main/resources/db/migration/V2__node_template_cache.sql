-- The last NetFlow template cache each node reported, so parity stays visible while a node is unreachable.
create table node_template_cache (
    node_id     uuid primary key references node (id) on delete cascade,
    observed_at timestamptz not null,
    templates   text        not null
);
