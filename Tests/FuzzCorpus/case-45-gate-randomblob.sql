-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELECT json_object('x', hex(randomblob(8))) AS payload;
