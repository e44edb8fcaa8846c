import CairnDemo
import CairnRunner
import CairnStore
import Foundation
import GRDB

/// The invariants a store must keep whatever happened to the processes writing it.
enum StoreChecks {
    /// Problems with a store mid-way (after a crash, before the rerun): pages, versions,
    /// and no marker without all of its migration's events.
    static func midway(_ path: String, workload: Workload.Expectation, seeds: String) throws -> [String] {
        var problems: [String] = []
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try queue.read { db in
            problems += try common(db)
            let markers = Set(try SQLiteLedger(db).markers().map(\.migrationId))
            if markers.contains(Workload.resolveId) {
                let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM incidents WHERE status = 'open' AND severity = 'low'") ?? 0
                if open > 0 { problems.append("\(Workload.resolveId) has a marker but \(open) incidents are still open") }
            }
            if markers.contains(Workload.tagId) {
                let left = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM memberships m WHERE NOT EXISTS (SELECT 1 FROM json_each(m.roles) WHERE value = 'Viewer')
                    """) ?? 0
                if left > 0 { problems.append("\(Workload.tagId) has a marker but \(left) memberships lack Viewer") }
            }
        }
        try queue.close()
        problems += try partialIsShown(path, seeds: seeds)
        return problems
    }

    /// A migration whose events are in the store without its marker is shown as `partial` (up),
    /// with `cairn up` to finish it: never as pending or applied with nothing said.
    static func partialIsShown(_ path: String, seeds: String) throws -> [String] {
        let store = try EventStore(path: path, domain: DemoApplication.domain, mode: .readOnly)
        defer { try? store.pool.close() }
        let runner = MigrationRunner(application: DemoApplication.application, store: store, seedsDirectory: seeds,
                                     processEnvironment: [:])
        let report = try runner.status()
        var problems: [String] = []
        for id in [Workload.resolveId, Workload.tagId] {
            guard let status = report.migrations.first(where: { $0.id == id }), status.marker == nil else { continue }
            let written = try store.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE migration_id = ?", arguments: [id]) ?? 0
            }
            if written > 0 && (status.state != .partial || status.partial?.direction != .up || status.partial?.finish != "cairn up") {
                problems.append("\(id) has \(written) events and no marker, but status shows it \(status.state.rawValue)")
            }
        }
        return problems
    }

    /// Problems with a store after every migration completed: exact events per stream,
    /// both markers, read tables equal to a rebuild from the events.
    static func final(_ path: String, expected: Workload.Expectation, extraEvents: Int = 0) throws -> [String] {
        var problems: [String] = []
        let queue = try DatabaseQueue(path: path)
        try queue.read { db in
            problems += try common(db)
            let markers = try SQLiteLedger(db).markers().map(\.migrationId)
            if markers != [Workload.resolveId, Workload.tagId] { problems.append("markers: \(markers)") }
            let resolved = try Row.fetchAll(db, sql: """
                SELECT stream_id, count(*) AS n FROM events WHERE migration_id = ? GROUP BY stream_id
                """, arguments: [Workload.resolveId])
            let resolvedIds = Set(resolved.map { $0["stream_id"] as String })
            if resolvedIds != expected.openLow {
                problems.append("resolved \(resolvedIds.count) incidents, expected \(expected.openLow.count)"
                    + " (missing \(expected.openLow.subtracting(resolvedIds).count), extra \(resolvedIds.subtracting(expected.openLow).count))")
            }
            if let duplicate = resolved.first(where: { ($0["n"] as Int) != 1 }) {
                problems.append("incident \(duplicate["stream_id"] as String) got \(duplicate["n"] as Int) resolved events")
            }
            let tagged = try Row.fetchAll(db, sql: """
                SELECT stream_id, count(*) AS n FROM events WHERE migration_id = ? GROUP BY stream_id
                """, arguments: [Workload.tagId])
            let taggedIds = Set(tagged.map { $0["stream_id"] as String })
            if taggedIds != expected.untagged {
                problems.append("tagged \(taggedIds.count) memberships, expected \(expected.untagged.count)")
            }
            if let duplicate = tagged.first(where: { ($0["n"] as Int) != 1 }) {
                problems.append("membership \(duplicate["stream_id"] as String) got \(duplicate["n"] as Int) tag events")
            }
            // A marker counts its migration's events over every run, the killed ones' too.
            for marker in try SQLiteLedger(db).markers() {
                let tagged = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM events WHERE migration_id = ?", arguments: [marker.migrationId]) ?? 0
                if marker.eventsWritten != tagged {
                    problems.append("the marker of \(marker.migrationId) counts \(marker.eventsWritten) events; \(tagged) carry its id")
                }
            }
            let leftovers = try Int.fetchOne(db, sql: "SELECT count(*) FROM cairn_runs WHERE status = 'running'") ?? 0
            if leftovers > 0 { problems.append("\(leftovers) runs still marked running") }
            if !PreviewCopy.runs(besides: path).isEmpty {
                problems.append("preview copies left beside the store: \(PreviewCopy.runs(besides: path))")
            }
            let events = try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            let wanted = expected.events + expected.openLow.count + expected.untagged.count + extraEvents
            if events != wanted { problems.append("\(events) events in the store, expected exactly \(wanted)") }
        }
        try queue.close()
        problems += try readTablesMatchRebuild(path)
        return problems
    }

    /// Checks that apply to any moment: page integrity and contiguous versions per stream.
    static func common(_ db: Database) throws -> [String] {
        var problems: [String] = []
        let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        if integrity != ["ok"] { problems.append("integrity_check: \(integrity.prefix(3).joined(separator: "; "))") }
        let gaps = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM (SELECT stream_id FROM events GROUP BY stream_id
                                  HAVING min(version) != 1 OR max(version) != count(*))
            """) ?? 0
        if gaps > 0 { problems.append("\(gaps) streams have gaps or repeats in their versions") }
        return problems
    }

    /// Rebuilds a copy of the store from its events and compares every read table.
    static func readTablesMatchRebuild(_ path: String) throws -> [String] {
        let copy = path + ".rebuilt"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
        let source = try DatabaseQueue(path: path)
        try source.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [copy]) }
        try source.close()
        let store = try EventStore(path: copy, domain: DemoApplication.domain)
        _ = try ProjectionRebuilder(store: store).rebuild([])
        try store.pool.close()
        var problems: [String] = []
        let live = try DatabaseQueue(path: path), rebuilt = try DatabaseQueue(path: copy)
        defer {
            try? live.close()
            try? rebuilt.close()
        }
        for table in DemoApplication.projections.flatMap(\.tables).map(\.name) {
            let sql = "SELECT * FROM \(table) ORDER BY id"
            let a = try live.read { db in try Row.fetchAll(db, sql: sql) }
            let b = try rebuilt.read { db in try Row.fetchAll(db, sql: sql) }
            if a != b {
                problems.append("read table \(table) differs from a rebuild from the events (\(a.count) rows live, \(b.count) rebuilt)")
            }
        }
        return problems
    }
}
