-- description: bypass read-file

-- @write tenant:write:create
SELECT jsonb_build_object('f', pg_read_file('/etc/hostname')) AS payload
