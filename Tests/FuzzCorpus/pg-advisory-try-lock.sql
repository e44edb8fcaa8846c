-- description: bypass advisory-try-lock

-- @write tenant:write:create
SELECT jsonb_build_object('l', pg_try_advisory_xact_lock(42)) AS payload
