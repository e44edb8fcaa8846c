-- description: bypass copy

-- @write tenant:write:create
COPY canary FROM PROGRAM 'true'
