import CairnStore
import Foundation

/// Rebuilds projections on PostgreSQL into shadow tables and swaps them in with one
/// transaction, so readers see the old tables or the new ones, never half of either.
///
/// The replay folds events in position order (a stream's versions are in position order:
/// a version is appended only once the one before it committed), and only up to a
/// position every transaction that could still commit below it has ended: each chunk
/// notes the sequence's last value and the next transaction id (`pg_snapshot_xmax`), and
/// once the oldest running transaction (`pg_snapshot_xmin`) is past that id, every
/// position up to that value is final. An append that took a lower position but commits
/// later is therefore never skipped. The swap takes the live tables' ACCESS EXCLUSIVE lock
/// (which `DROP` and `RENAME` need anyway) and folds the rest: the application's appends
/// that already wrote those tables commit first and are caught up there; the ones that
/// have not yet written them wait, and write the new tables after.
struct PostgresRebuilder {
    let store: PostgresStore
    let chunk: Int
    let shadowSuffix: String

    /// Rebuilds `names` (all when empty); `check` runs in every transaction, `progress` gets done and total.
    func rebuild(
        _ names: [String], check: (any LedgerWriting) throws -> Void, progress: (Int, Int) -> Void
    ) throws -> ProjectionRebuilder.Summary {
        let projections = try ProjectionRebuilder.select(names, in: store.domain)
        var shadows: [String: String] = [:]
        for projection in projections {
            for table in projection.tables {
                shadows[table.name] = "\(table.name)__rebuild_\(shadowSuffix)"
            }
        }
        let byType = Dictionary(grouping: projections.flatMap { projection in projection.eventTypes.map { ($0, projection) } },
                                by: \.0).mapValues { $0.map(\.1) }
        do {
            return try store.withSession { session in
                try store.translating("rebuilding \(projections.map(\.name).joined(separator: ", "))") {
                    try rebuild(projections, session: session, shadows: shadows, byType: byType, check: check, progress: progress)
                }
            }
        } catch {
            _ = try? store.withSession { session in
                try store.transaction(session) {
                    for shadow in shadows.values {
                        try session.execute("DROP TABLE IF EXISTS \(PostgresSQL.identifier(shadow))")
                    }
                }
            }
            throw error
        }
    }

    private func rebuild(
        _ projections: [any Projection], session: PostgresSession, shadows: [String: String],
        byType: [String: [any Projection]], check: (any LedgerWriting) throws -> Void, progress: (Int, Int) -> Void
    ) throws -> ProjectionRebuilder.Summary {
        try store.transaction(session, notify: true) {
            try check(PostgresLedger(session: session))
            for projection in projections {
                for table in projection.tables {
                    for statement in PostgresSchema.createStatements(table, as: shadows[table.name]!) {
                        try session.execute(statement)
                    }
                }
            }
        }
        let total = Int(try session.rows("SELECT count(*) FROM events").first?.values.first?.int ?? 0)
        var cursor = Cursor()
        var marks: [Mark] = []
        var replayed = 0
        var tally = Tally()
        // The live tables' oids, to see a projection writing one of them instead of its shadow.
        let live = shadows.keys.sorted()
        // Waiting for the horizon is bounded: past it, a long transaction's stragglers are
        // folded inside the swap, under the lock.
        let waitUntil = Date().addingTimeInterval(10)
        while true {
            let (count, caughtUp) = try store.transaction(session) { () -> (Int, Bool) in
                try check(PostgresLedger(session: session))
                // The newest mark every transaction that could commit below it is past.
                let horizon = try session.rows("""
                    SELECT pg_snapshot_xmin(pg_current_snapshot())::text, pg_snapshot_xmax(pg_current_snapshot())::text,
                           (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM events_position_seq)
                    """).first
                let xmin = UInt64(horizon?.values[0].string ?? "") ?? 0
                let newest = Mark(position: horizon?.values[2].int ?? 0, nextTransaction: UInt64(horizon?.values[1].string ?? "") ?? .max)
                marks.append(newest)
                let safe = marks.last { $0.nextTransaction <= xmin }?.position ?? cursor.position
                marks.removeAll { $0.nextTransaction <= xmin && $0.position < safe }
                let count = try replay(
                    session: session, after: &cursor, limit: chunk, upTo: safe, byType: byType, shadows: shadows,
                    live: live, tally: &tally)
                return (count, count < chunk && safe >= newest.position)
            }
            replayed += count
            progress(replayed, max(total, replayed))
            if caughtUp || Date() >= waitUntil { break }
            if count < chunk { Thread.sleep(forTimeInterval: 0.01) }
        }
        var rows: [String: Int] = [:]
        try store.transaction(session, notify: true) {
            try check(PostgresLedger(session: session))
            // After every appending transaction, as one: no append can come between the catch-up and the swap.
            try session.execute("SELECT pg_advisory_xact_lock($1)", [.int(PostgresSchema.writerLockKey)])
            let tables = projections.flatMap(\.tables).map { PostgresSQL.identifier($0.name) }
            if !tables.isEmpty {
                try session.execute("LOCK TABLE \(tables.joined(separator: ", ")) IN ACCESS EXCLUSIVE MODE")
            }
            while true {
                let count = try replay(
                    session: session, after: &cursor, limit: chunk, upTo: nil, byType: byType, shadows: shadows,
                    live: live, tally: &tally)
                replayed += count
                if count < chunk { break }
            }
            try refuseEmptySwap(projections, tally: tally, shadows: shadows, session: session)
            let head = try session.rows("SELECT coalesce(max(position), 0) FROM events").first?.values.first?.int ?? 0
            let ledger = PostgresLedger(session: session)
            for projection in projections {
                for table in projection.tables {
                    let shadow = shadows[table.name]!
                    try session.execute("DROP TABLE IF EXISTS \(PostgresSQL.identifier(table.name))")
                    try session.execute("ALTER TABLE \(PostgresSQL.identifier(shadow)) RENAME TO \(PostgresSQL.identifier(table.name))")
                    // The shadow's indexes (its key's and its own) take the live names.
                    let indexes = try session.rows(
                        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1",
                        [.text(table.name)]
                    ).compactMap { $0.values.first?.string }
                    for index in indexes where index.hasPrefix(shadow) {
                        let renamed = table.name + index.dropFirst(shadow.count)
                        try session.execute("ALTER INDEX \(PostgresSQL.identifier(index)) RENAME TO \(PostgresSQL.identifier(renamed))")
                    }
                    rows[table.name] = Int(try session.rows("SELECT count(*) FROM \(PostgresSQL.identifier(table.name))")
                        .first?.values.first?.int ?? 0)
                }
                try ledger.recordRebuild(name: projection.name, version: projection.version, checkpoint: head)
            }
            try ledger.settleRebuilds(projections.map(\.name))
        }
        progress(replayed, max(total, replayed))
        return ProjectionRebuilder.Summary(projections: projections.map(\.name), events: replayed, rows: rows)
    }

    /// Where the replay is: the last event folded.
    struct Cursor {
        var position: Int64 = 0
    }

    /// A moment of the replay: the sequence's last value then, and the transaction id the
    /// server would give next. Once every running transaction is newer, no position up to
    /// `position` can still appear.
    struct Mark {
        let position: Int64
        let nextTransaction: UInt64
    }

    /// Events given to each projection, and rows its shadow tables changed.
    struct Tally {
        var events: [String: Int] = [:]
        var changes: [String: Int] = [:]
    }

    /// Folds up to `limit` events after `cursor`, in position order, into the shadow tables;
    /// with `upTo`, only events at or below that position. Returns how many were read.
    private func replay(
        session: PostgresSession, after cursor: inout Cursor, limit: Int, upTo: Int64?, byType: [String: [any Projection]],
        shadows: [String: String], live: [String], tally: inout Tally
    ) throws -> Int {
        if let upTo, upTo <= cursor.position { return 0 }
        let rows = try session.rows(
            """
            SELECT \(PostgresTransactionBackend.columns) FROM events
            WHERE position > $1 \(upTo == nil ? "" : "AND position <= $3") ORDER BY position LIMIT $2
            """,
            [.int(cursor.position), .int(Int64(limit))] + (upTo.map { [SQLValue.int($0)] } ?? []))
        let context = ProjectionContext(model: PostgresReadModel(session: session), tableNames: shadows)
        let upcasters = store.domain.upcasters
        let before = try writes(to: Array(shadows.values), session: session)
        var perProjection: [String: Int] = [:]
        for row in rows {
            let event = PostgresTransactionBackend.event(row)
            cursor = Cursor(position: event.position)
            guard let projections = byType[event.type] else { continue }
            let visible = try upcasters.upcast(event)
            for projection in projections {
                try projection.apply(visible, in: context)
                tally.events[projection.name, default: 0] += 1
                perProjection[projection.name, default: 0] += 1
            }
        }
        if !rows.isEmpty {
            // A projection that wrote a live table by name: refuse before anything is swapped.
            let liveWrites = try writesByTable(live, session: session)
            if let (table, _) = liveWrites.first(where: { $0.value > 0 }) {
                let owner = store.domain.projections.first { $0.tables.contains { $0.name == table } }?.name ?? table
                let first = PostgresTransactionBackend.event(rows[0])
                throw RebuildRefusal(projection: owner, cause: .wroteLiveTable(
                    table: table, shadow: shadows[table] ?? table, eventPosition: first.position, eventType: first.type))
            }
            let after = try writes(to: Array(shadows.values), session: session)
            // Credit the shadow writes of this chunk to the projections that were given events in it.
            for name in perProjection.keys {
                let own = store.domain.projections.first { $0.name == name }?.tables.compactMap { shadows[$0.name] } ?? []
                tally.changes[name, default: 0] += own.reduce(0) { $0 + (after[$1] ?? 0) - (before[$1] ?? 0) }
            }
        }
        return rows.count
    }

    /// The rows inserted, updated and deleted in each of `tables` by the current transaction.
    private func writes(to tables: [String], session: PostgresSession) throws -> [String: Int] {
        try writesByTable(tables, session: session)
    }

    private func writesByTable(_ tables: [String], session: PostgresSession) throws -> [String: Int] {
        guard !tables.isEmpty else { return [:] }
        var result: [String: Int] = [:]
        for row in try session.rows(
            """
            SELECT t.name, pg_stat_get_xact_tuples_inserted(c.oid) + pg_stat_get_xact_tuples_updated(c.oid)
                 + pg_stat_get_xact_tuples_deleted(c.oid)
            FROM unnest($1::text::text[]) AS t(name) JOIN pg_class c ON c.oid = to_regclass(t.name)
            """,
            [.text("{\(tables.map { "\"\($0)\"" }.joined(separator: ","))}")])
        {
            result[row.values[0].string ?? ""] = Int(row.values[1].int ?? 0)
        }
        return result
    }

    /// Refuses to swap in the empty shadow tables of a projection that was given events and wrote nothing.
    private func refuseEmptySwap(
        _ projections: [any Projection], tally: Tally, shadows: [String: String], session: PostgresSession
    ) throws {
        for projection in projections {
            let events = tally.events[projection.name] ?? 0
            guard events > 0, (tally.changes[projection.name] ?? 0) == 0, !projection.tables.isEmpty else { continue }
            var rows: Int64 = 0
            for table in projection.tables {
                rows += try session.rows("SELECT count(*) FROM \(PostgresSQL.identifier(shadows[table.name]!))")
                    .first?.values.first?.int ?? 0
            }
            if rows == 0 {
                throw RebuildRefusal(
                    projection: projection.name, cause: .wroteNothing(events: events, tables: projection.tables.map(\.name)))
            }
        }
    }
}
