-- description: bypass nextval-in-subquery

-- @write tenant:write:create
SELECT jsonb_build_object('n', (SELECT nextval('canary_seq'))) AS payload
