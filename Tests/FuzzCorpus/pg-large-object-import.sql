-- description: bypass large-object-import

-- @write tenant:write:create
SELECT jsonb_build_object('o', lo_import('/etc/hostname')) AS payload
