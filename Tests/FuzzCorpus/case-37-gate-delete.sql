-- description: a case of the corpus
-- @write tenant:write:update-member-roles
DELETE FROM events;
