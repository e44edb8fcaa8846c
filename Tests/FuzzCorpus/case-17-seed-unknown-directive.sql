-- description: a case of the corpus
-- @writes tenant:write:create
SELECT json_object('tenantId','x') AS payload WHERE 0;
