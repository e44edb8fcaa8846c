-- description: a case of the corpus
-- @write tenant:write:update-member-roles
PRAGMA query_only = 0;
