-- description: bypass ls-dir

-- @write tenant:write:create
SELECT jsonb_build_object('f', d) AS payload FROM pg_ls_dir('.') AS d
