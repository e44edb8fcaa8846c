-- description: bypass second-statement

-- @write tenant:write:create
SELECT '{}'::jsonb AS payload; DELETE FROM canary
