-- description: bypass for-update

-- @write tenant:write:create
SELECT '{}'::jsonb AS payload FROM canary FOR UPDATE
