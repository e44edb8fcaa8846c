-- description: bypass data-modifying-cte

-- @write tenant:write:create
WITH gone AS (DELETE FROM canary RETURNING 1) SELECT '{}'::jsonb AS payload FROM gone
