-- description: bypass advisory-lock

-- @write tenant:write:create
SELECT jsonb_build_object('l', pg_advisory_lock(42)) AS payload
