-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELEC json_object('x',1) AS payload;
