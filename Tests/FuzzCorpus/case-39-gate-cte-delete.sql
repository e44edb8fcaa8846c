-- description: a case of the corpus
-- @write tenant:write:update-member-roles
WITH doomed AS (SELECT id FROM tenants) DELETE FROM tenants WHERE id IN doomed;
