-- description: a case of the corpus
-- @write tenant:write:update-member-role
SELECT json_object('userId','x') AS payload WHERE 0;
