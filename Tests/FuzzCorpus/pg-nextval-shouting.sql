-- description: bypass nextval-shouting

-- @write tenant:write:create
SELECT JSONB_BUILD_OBJECT('n', NEXTVAL('canary_seq')) AS payload
