-- skippable: true
-- @write tenant:write:create
SELECT json_object('tenantId','x','slug','x','name','x') AS payload WHERE 0;
