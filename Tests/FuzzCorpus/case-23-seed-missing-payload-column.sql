-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELECT json_object('userId','x') AS body;
