-- description: bypass copy-to

-- @write tenant:write:create
COPY (SELECT 1) TO '/tmp/cairn-gate-copy'
