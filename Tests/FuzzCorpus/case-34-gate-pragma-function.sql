-- description: a case of the corpus
-- @write tenant:write:update-member-roles
SELECT json_object('x', name) AS payload FROM pragma_table_info('events');
