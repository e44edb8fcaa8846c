-- description: a case of the corpus
-- @write incident:write:open
SELECT json_object('incidentId','i-locked','tenantId','acme','title','t','severity','low') AS payload WHERE NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-locked');
