-- description: bypass large-object

-- @write tenant:write:create
SELECT jsonb_build_object('o', lo_create(0)) AS payload
