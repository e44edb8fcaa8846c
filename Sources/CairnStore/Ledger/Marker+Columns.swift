/// A marker as the columns of `cairn_markers`, for every store's ledger.
extension Marker {
    /// The columns of `cairn_markers`, in the order of `columnValues`.
    package static let columns = [
        "migration_id", "checksum", "checksum_version", "description", "applied_at", "duration_ms", "trigger", "host",
        "pid", "user", "run_id", "events_written", "allow_drift", "baseline", "baseline_reason", "retired",
        "previous_checksum", "previous_checksum_version", "repaired_at", "repaired_user", "repaired_host",
        "repair_reason", "repair_run_id",
    ]

    /// The marker's values, in the order of `columns`; free text has its NUL characters made visible.
    package var columnValues: [SQLValue] {
        func text(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
        func number(_ value: Int64?) -> SQLValue { value.map(SQLValue.int) ?? .null }
        return [
            .text(migrationId), .text(checksum), .int(Int64(checksumVersion)), .text(description), .text(appliedAt),
            .int(Int64(durationMilliseconds)), .text(trigger.rawValue), .text(host), .int(Int64(pid)), text(user),
            .int(runId), .int(Int64(eventsWritten)), .int(allowDrift ? 1 : 0), .int(baseline ? 1 : 0),
            text(baselineReason?.withVisibleNUL), .int(retired ? 1 : 0), text(previousChecksum),
            number(previousChecksumVersion.map(Int64.init)), text(repairedAt), text(repairedUser), text(repairedHost),
            text(repairReason?.withVisibleNUL), number(repairRunId),
        ]
    }
}
