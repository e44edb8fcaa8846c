-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELECT 42 AS payload;
