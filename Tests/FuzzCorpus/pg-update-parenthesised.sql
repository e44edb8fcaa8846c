-- description: bypass update-parenthesised

-- @write tenant:write:create
(UPDATE canary SET x = 2 RETURNING '{}'::jsonb AS payload)
