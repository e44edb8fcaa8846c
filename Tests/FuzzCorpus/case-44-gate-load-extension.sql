-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELECT load_extension('/tmp/evil.so') AS payload;
