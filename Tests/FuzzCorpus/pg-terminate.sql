-- description: bypass terminate

-- @write tenant:write:create
SELECT jsonb_build_object('t', pg_terminate_backend(pg_backend_pid())) AS payload
