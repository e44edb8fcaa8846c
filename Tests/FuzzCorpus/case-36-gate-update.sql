-- description: a case of the corpus
-- @write tenant:write:update-member-roles
UPDATE memberships SET roles = '[]';
