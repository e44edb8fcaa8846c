-- description: add the TenantAdmin role to admin@publicstatus.eu
-- skippable: true

-- The admin's globex membership lives in acme's stream (it was written while
-- acting in acme), so each row passes the stream tenant the read model knows.
-- @write tenant:write:update-member-roles
SELECT json_object('userId', m.user_id,
                   'tenantId', m.tenant_id,
                   'roles', json_insert(m.roles, '$[#]', 'TenantAdmin')) AS payload,
       m.stream_tenant AS stream_tenant
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE u.email = 'admin@publicstatus.eu'
  AND NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'TenantAdmin');

-- @down
-- @write tenant:write:update-member-roles
SELECT json_object('userId', m.user_id,
                   'tenantId', m.tenant_id,
                   'roles', (SELECT json_group_array(value) FROM json_each(m.roles) WHERE value <> 'TenantAdmin')) AS payload,
       m.stream_tenant AS stream_tenant
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE u.email = 'admin@publicstatus.eu'
  AND EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'TenantAdmin');
