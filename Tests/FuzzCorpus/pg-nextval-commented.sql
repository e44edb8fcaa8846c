-- description: bypass nextval-commented

-- @write tenant:write:create
SELECT jsonb_build_object('n', nextval/**/('canary_seq')) AS payload
