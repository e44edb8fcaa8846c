-- description: bypass ts-stat

-- @write tenant:write:create
SELECT jsonb_build_object('t', word) AS payload FROM ts_stat('SELECT to_tsvector(nextval(''canary_seq'')::text)')
