-- description: bypass view-hiding-nextval

-- @write tenant:write:create
SELECT jsonb_build_object('n', n) AS payload FROM canary_view
