-- description: bypass read-binary-file

-- @write tenant:write:create
SELECT jsonb_build_object('f', pg_read_binary_file('/etc/hostname')::text) AS payload
