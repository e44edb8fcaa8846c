-- description: bypass explain-analyze

-- @write tenant:write:create
EXPLAIN ANALYZE DELETE FROM canary
