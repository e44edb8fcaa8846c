-- description: bypass insert-cte

-- @write tenant:write:create
WITH added AS (INSERT INTO canary VALUES (1) RETURNING x) SELECT jsonb_build_object('x', x) AS payload FROM added
