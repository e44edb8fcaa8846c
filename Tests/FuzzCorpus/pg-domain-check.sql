-- description: bypass domain-check

-- @write tenant:write:create
SELECT jsonb_build_object('t', ('x'::canary_domain)::text) AS payload
