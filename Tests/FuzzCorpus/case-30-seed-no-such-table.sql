-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELECT json_object('x', id) AS payload FROM membership;
