-- description: bypass query-to-xml

-- @write tenant:write:create
SELECT jsonb_build_object('t', query_to_xml('SELECT nextval(''canary_seq'')', true, false, '')::text) AS payload
