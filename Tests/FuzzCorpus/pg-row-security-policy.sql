-- description: bypass row-security-policy

-- @write tenant:write:create
SELECT jsonb_build_object('x', x) AS payload FROM canary_guarded
