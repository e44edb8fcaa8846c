-- description: add the TenantAdmin role to admin@publicstatus.eu
-- skippable: true

-- The admin's globex membership lives in acme's stream (it was written while
-- acting in acme), so each row passes the stream tenant the read model knows.
-- roles is jsonb here: || appends to the array, @> asks whether it holds a value.
-- @write tenant:write:update-member-roles
SELECT jsonb_build_object('userId', m.user_id,
                          'tenantId', m.tenant_id,
                          'roles', m.roles || '["TenantAdmin"]'::jsonb) AS payload,
       m.stream_tenant AS stream_tenant
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE u.email = 'admin@publicstatus.eu'
  AND NOT m.roles @> '["TenantAdmin"]'::jsonb;

-- @down
-- @write tenant:write:update-member-roles
SELECT jsonb_build_object('userId', m.user_id,
                          'tenantId', m.tenant_id,
                          'roles', m.roles - 'TenantAdmin') AS payload,
       m.stream_tenant AS stream_tenant
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE u.email = 'admin@publicstatus.eu'
  AND m.roles @> '["TenantAdmin"]'::jsonb;
