-- description: a case of the corpus
-- @write tenant:write:update-member-roles
REPLACE INTO tenants (id, slug, name) VALUES ('x','x','x');
