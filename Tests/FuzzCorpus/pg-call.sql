-- description: bypass call

-- @write tenant:write:create
CALL canary_procedure()
