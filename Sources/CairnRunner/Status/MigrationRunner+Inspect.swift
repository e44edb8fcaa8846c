import CairnStore
import Foundation

extension MigrationRunner {
    /// How many candidate rows the migration's blocks return now, summed; nil for a
    /// Swift migration. Runs the queries through the read-only gate with a time limit.
    ///
    /// - Throws: `RunnerError.unknownMigration`, a `QueryRefusal` or `QueryGateError`.
    public func candidateCount(_ id: String, timeout: TimeInterval = 10) throws -> Int? {
        let catalog = try catalog()
        guard let migration = catalog.migration(id) else {
            throw RunnerError.unknownMigration(id: id, suggestion: nil)
        }
        guard case .seed(let seed) = migration.source else { return nil }
        let gate = try store.makeCandidateGate()
        var total = 0
        for block in seed.blocks {
            total += try gate.count(try gate.check(block.sql, requireCandidateColumns: true).get(), timeout: timeout)
        }
        return total
    }

    /// The events a migration wrote (in any run) after position `after`, oldest first, at most `limit`.
    public func eventsWritten(by id: String, after position: Int64 = 0, limit: Int = 100) throws -> [StoredEvent] {
        try store.events(writtenBy: id, after: position, limit: limit)
    }

    /// How many events a migration wrote, over all its runs.
    public func eventCount(writtenBy id: String) throws -> Int {
        try store.eventCount(writtenBy: id)
    }
}
