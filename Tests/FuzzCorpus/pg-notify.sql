-- description: bypass notify

-- @write tenant:write:create
SELECT jsonb_build_object('n', pg_notify('cairn', 'x')) AS payload
