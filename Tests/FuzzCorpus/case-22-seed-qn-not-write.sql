-- description: a case of the corpus
-- @write tenant:read:list
SELECT json_object('x',1) AS payload WHERE 0;
