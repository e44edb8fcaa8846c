-- description: bypass schema-to-xml

-- @write tenant:write:create
SELECT jsonb_build_object('t', schema_to_xml('public', true, false, '')::text) AS payload
