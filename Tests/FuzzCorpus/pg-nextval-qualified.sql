-- description: bypass nextval-qualified

-- @write tenant:write:create
SELECT jsonb_build_object('n', pg_catalog.nextval('canary_seq')) AS payload
