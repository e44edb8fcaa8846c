-- description: bypass for-share-lowercase

-- @write tenant:write:create
select '{}'::jsonb as payload from canary for share
