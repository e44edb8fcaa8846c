-- description: bypass do-block

-- @write tenant:write:create
DO $$ BEGIN DELETE FROM canary; END $$
