-- description: bypass sleep

-- @write tenant:write:create
SELECT jsonb_build_object('s', pg_sleep(30)) AS payload
