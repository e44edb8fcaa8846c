-- description: bypass current-xact-id

-- @write tenant:write:create
SELECT jsonb_build_object('x', pg_current_xact_id()::text) AS payload
