-- description: a case of the corpus
-- rebuilds: memberships, roles
-- @write tenant:write:create
SELECT json_object('tenantId','x') AS payload WHERE 0;
