-- description: create the publicstatus tenant and make the platform admin its Admin
-- skippable: false

-- A tenant for the status page team. Each block runs only while its row is
-- still missing, so a second run finds nothing to do.
-- @write tenant:write:create
SELECT jsonb_build_object('tenantId', 'publicstatus', 'slug', 'publicstatus', 'name', 'PublicStatus') AS payload
WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE id = 'publicstatus');

-- @write tenant:write:add-member
SELECT jsonb_build_object('membershipId', 'm-publicstatus-' || u.id,
                          'userId', u.id,
                          'tenantId', 'publicstatus',
                          'roles', jsonb_build_array('Admin')) AS payload
FROM users u
WHERE u.email = 'admin@publicstatus.eu'
  AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.tenant_id = 'publicstatus');

-- @down
-- @write tenant:write:remove-member
SELECT jsonb_build_object('userId', m.user_id, 'tenantId', m.tenant_id) AS payload
FROM memberships m JOIN users u ON u.id = m.user_id
WHERE u.email = 'admin@publicstatus.eu' AND m.tenant_id = 'publicstatus';
