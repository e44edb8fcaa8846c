-- description: bypass dblink

-- @write tenant:write:create
SELECT jsonb_build_object('x', x) AS payload FROM dblink('dbname=postgres', 'DELETE FROM canary') AS t(x text)
