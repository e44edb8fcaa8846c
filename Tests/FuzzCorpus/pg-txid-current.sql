-- description: bypass txid-current

-- @write tenant:write:create
SELECT jsonb_build_object('x', txid_current()) AS payload
