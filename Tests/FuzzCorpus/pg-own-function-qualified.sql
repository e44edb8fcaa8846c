-- description: bypass own-function-qualified

-- @write tenant:write:create
SELECT public.canary_write() AS payload
