-- description: bypass view-of-view

-- @write tenant:write:create
SELECT jsonb_build_object('n', n) AS payload FROM canary_view_of_view
