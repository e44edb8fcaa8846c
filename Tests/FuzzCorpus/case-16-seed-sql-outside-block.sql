-- description: a case of the corpus
SELECT 1;
-- @write tenant:write:create
SELECT json_object('tenantId','x') AS payload WHERE 0;
