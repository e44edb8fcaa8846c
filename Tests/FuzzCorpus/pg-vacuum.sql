-- description: bypass vacuum

-- @write tenant:write:create
VACUUM canary
