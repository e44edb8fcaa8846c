-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELECT NULL AS payload;
