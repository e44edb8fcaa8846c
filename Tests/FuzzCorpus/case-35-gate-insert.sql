-- description: a case of the corpus
-- @write tenant:write:update-member-roles
INSERT INTO tenants (id, slug, name) VALUES ('x','x','x');
