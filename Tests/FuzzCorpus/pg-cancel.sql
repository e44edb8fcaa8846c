-- description: bypass cancel

-- @write tenant:write:create
SELECT jsonb_build_object('t', pg_cancel_backend(1)) AS payload
