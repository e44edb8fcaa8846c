-- description: bypass set-config

-- @write tenant:write:create
SELECT jsonb_build_object('s', set_config('statement_timeout', '0', false)) AS payload
