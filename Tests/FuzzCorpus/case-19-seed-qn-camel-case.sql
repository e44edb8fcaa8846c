-- description: a case of the corpus
-- @write tenant:write:updateMemberRoles
SELECT json_object('userId','x') AS payload WHERE 0;
