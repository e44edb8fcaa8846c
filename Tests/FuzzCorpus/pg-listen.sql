-- description: bypass listen

-- @write tenant:write:create
LISTEN cairn
