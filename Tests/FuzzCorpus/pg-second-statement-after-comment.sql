-- description: bypass second-statement-after-comment

-- @write tenant:write:create
SELECT '{}'::jsonb AS payload /* ; */ ; -- x
 DELETE FROM canary
