-- description: bypass delete

-- @write tenant:write:create
DELETE FROM canary RETURNING '{}'::jsonb AS payload
