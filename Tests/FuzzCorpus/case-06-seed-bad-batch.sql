-- description: a case of the corpus
-- batch: 0
-- @write tenant:write:create
SELECT json_object('tenantId','x') AS payload WHERE 0;
