-- description: give every tenant Admin the Responder role for the on-call rota
-- skippable: true

-- Forgets the stream tenant: the admin's globex membership lives in acme's
-- stream, so its row fails with a version conflict that names acme. Skip it
-- (`cairn skip ... --reason ...`) or fix it by selecting m.stream_tenant.
-- @write tenant:write:update-member-roles
SELECT jsonb_build_object('userId', m.user_id,
                          'tenantId', m.tenant_id,
                          'roles', m.roles || '["Responder"]'::jsonb) AS payload
FROM memberships m
WHERE m.roles @> '["Admin"]'::jsonb
  AND NOT m.roles @> '["Responder"]'::jsonb;
