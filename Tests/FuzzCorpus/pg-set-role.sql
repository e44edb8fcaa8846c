-- description: bypass set-role

-- @write tenant:write:create
SET ROLE postgres
