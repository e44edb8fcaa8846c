-- description: bypass for-no-key-update-subquery

-- @write tenant:write:create
SELECT '{}'::jsonb AS payload FROM (SELECT x FROM canary FOR NO KEY UPDATE) c
