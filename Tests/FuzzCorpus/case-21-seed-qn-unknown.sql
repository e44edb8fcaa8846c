-- description: a case of the corpus
-- @write billing:write:charge
SELECT json_object('x',1) AS payload WHERE 0;
