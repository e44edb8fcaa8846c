-- description: bypass own-function

-- @write tenant:write:create
SELECT canary_write() AS payload
