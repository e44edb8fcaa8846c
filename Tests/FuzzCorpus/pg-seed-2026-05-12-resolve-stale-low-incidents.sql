-- description: resolve open low-severity incidents left over from the old alerting
-- batch: 50

-- @write incident:write:resolve
SELECT jsonb_build_object('incidentId', i.id, 'tenantId', i.tenant_id) AS payload
FROM incidents i
WHERE i.status = 'open' AND i.severity = 'low';
