-- description: bypass domain-check-function-form

-- @write tenant:write:create
SELECT jsonb_build_object('t', CAST('x' AS canary_domain)) AS payload
