-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELECT json_object('x',1) AS payload; DELETE FROM events;
