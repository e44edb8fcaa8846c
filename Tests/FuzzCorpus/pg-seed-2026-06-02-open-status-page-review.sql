-- description: open a review incident in the publicstatus tenant for the status page relaunch

-- @write incident:write:open
SELECT jsonb_build_object('incidentId', 'i-publicstatus-review',
                          'tenantId', 'publicstatus',
                          'title', 'Review the status page before relaunch',
                          'severity', 'medium') AS payload
WHERE EXISTS (SELECT 1 FROM tenants WHERE id = 'publicstatus')
  AND NOT EXISTS (SELECT 1 FROM incidents WHERE id = 'i-publicstatus-review');
