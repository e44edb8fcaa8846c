-- description: bypass own-operator

-- @write tenant:write:create
SELECT jsonb_build_object('x', 1 #~# 2) AS payload
