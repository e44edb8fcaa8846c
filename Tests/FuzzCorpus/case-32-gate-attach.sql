-- description: a case of the corpus
-- @write tenant:write:update-member-roles
ATTACH DATABASE '/tmp/other.sqlite' AS other;
