-- description: bypass table-to-xml-view

-- @write tenant:write:create
SELECT jsonb_build_object('t', length(table_to_xml('canary_view'::regclass, true, false, '')::text)) AS payload
