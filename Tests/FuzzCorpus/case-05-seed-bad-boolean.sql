-- description: a case of the corpus
-- skippable: yes
-- @write tenant:write:create
SELECT json_object('tenantId','x') AS payload WHERE 0;
