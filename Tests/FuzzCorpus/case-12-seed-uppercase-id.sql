-- description: a case of the corpus
-- @write tenant:write:create
SELECT json_object('tenantId','x') AS payload WHERE 0;
