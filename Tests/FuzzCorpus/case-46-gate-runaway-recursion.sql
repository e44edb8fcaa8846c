-- description: a case of the corpus
-- @write tenant:write:update-member-roles
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT json_object('i', i) AS payload FROM n WHERE i < 0;
