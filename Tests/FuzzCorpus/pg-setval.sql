-- description: bypass setval

-- @write tenant:write:create
SELECT jsonb_build_object('n', setval('canary_seq', 99)) AS payload
