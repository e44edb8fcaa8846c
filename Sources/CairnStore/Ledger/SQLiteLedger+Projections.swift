import GRDB

/// Projection state and owed rebuilds on SQLite.
extension SQLiteLedger {
    public func projectionRecords() throws -> [ProjectionRecord] {
        try ProjectionRecord.fetchAll(db, sql: "SELECT name, version, checkpoint, rebuilt_at FROM cairn_projections")
    }

    public func registerProjection(name: String, version: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO cairn_projections (name, version, checkpoint, updated_at)
                VALUES (?, ?, 0, ?) ON CONFLICT(name) DO NOTHING
                """,
            arguments: [name, version, Timestamp.now()])
    }

    public func advanceCheckpoints(from: Int64, to: Int64) throws {
        try db.cachedStatement(sql: Statement.advanceCheckpoints).execute(arguments: [to, Timestamp.now(), from])
    }

    public func recordRebuild(name: String, version: Int, checkpoint: Int64) throws {
        let now = Timestamp.now()
        try db.execute(
            sql: """
                INSERT INTO cairn_projections (name, version, checkpoint, rebuilt_at, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET version = excluded.version, checkpoint = excluded.checkpoint,
                  rebuilt_at = excluded.rebuilt_at, updated_at = excluded.updated_at
                """,
            arguments: [name, version, checkpoint, now, now])
    }

    public func owedRebuilds() throws -> [OwedRebuild] {
        try OwedRebuild.fetchAll(db, sql: "SELECT projection, migration_id, run_id, owed_at FROM cairn_owed_projections ORDER BY projection")
    }

    public func oweRebuilds(_ projections: [String], migration: String, run: Int64) throws {
        for projection in projections {
            try db.execute(
                sql: "INSERT OR REPLACE INTO cairn_owed_projections (projection, migration_id, run_id, owed_at) VALUES (?, ?, ?, ?)",
                arguments: [projection, migration, run, Timestamp.now()])
        }
    }

    public func settleRebuilds(_ projections: [String]) throws {
        for projection in projections {
            try db.execute(sql: "DELETE FROM cairn_owed_projections WHERE projection = ?", arguments: [projection])
        }
    }
}
