@testable import CairnConsole
import CairnRunner
import Foundation

/// Console states with fixed data, for reducer and golden-screen tests.
enum ConsoleFixtures {
    /// A snapshot with a migration in every state, a failed boot among the runs, and a stale projection.
    static func snapshot() -> Snapshot {
        var snapshot = Snapshot(environment: "staging", database: "/srv/app/events.sqlite", seeds: "/srv/app/seeds")
        var initial = Snapshot.Migration(id: "2026-05-01-initial-tenants", state: .applied,
                                         description: "create the first tenants", checksum: "1b2c3d4e5f60718293a4b5c6d7e8f901", skippable: false)
        initial.appliedAt = "2026-05-01T09:00:00.000Z"
        initial.appliedBy = "boot · deploy@web-1:812"
        initial.appliedRun = 3
        initial.eventsWritten = 12
        initial.durationMilliseconds = 41
        initial.handlers = [("tenant:write:create", true)]
        initial.path = "seeds/2026-05-01-initial-tenants.sql"
        var backfill = Snapshot.Migration(id: "2026-05-12-backfill-severity", state: .failed,
                                          description: "backfill incident severities from the old tracker", checksum: "9f3a7c0d11223344556677889900aabb", skippable: true)
        backfill.lastRun = 42
        backfill.lastStatus = "failed"
        backfill.lastError = "2026-05-12-backfill-severity failed at block 1 (incident:write:open), row 3: version conflict on incident i-9: the stream lives in tenant globex, not acme"
            + "\n  payload: {\"incident\":\"i-9\",\"severity\":\"high\"}"
            + "\n  fix: pass stream_tenant = 'globex' for this row: add a `stream_tenant` column to the SELECT"
        backfill.handlers = [("incident:write:open", true)]
        backfill.path = "seeds/2026-05-12-backfill-severity.sql"
        backfill.batch = 256
        var fix = Snapshot.Migration(id: "2026-05-20-fix-admin-roles", state: .pending,
                                     description: "add the TenantAdmin role to admin@publicstatus.eu", checksum: "c77c5174f8351acc8ee6432ca0e5ab3c", skippable: true)
        fix.handlers = [("tenant:write:update-member-roles", true)]
        fix.path = "seeds/2026-05-20-fix-admin-roles.sql"
        fix.batch = 256
        fix.revertible = true
        var rename = Snapshot.Migration(id: "2026-05-21-rename-plans", state: .skipped,
                                        description: "rename the legacy plans", checksum: "aab429b70a202e8fba92b40fb002e2da", skippable: true)
        rename.skipSource = "override"
        rename.skipReason = "plans service not migrated yet"
        rename.skipBy = "ops@console-2"
        rename.handlers = [("billing:write:rename-plan", false)]
        var edited = Snapshot.Migration(id: "2026-04-02-seed-roles", state: .drift,
                                        description: "seed the default roles", checksum: "5f954238e24b176aba6c54fc2e49504b", skippable: false)
        edited.appliedAt = "2026-04-02T08:00:00.000Z"
        edited.problems = ["seeds/2026-04-02-seed-roles.sql changed after it was applied on 2026-04-02T08:00:00.000Z"]
        let gone = Snapshot.Migration(id: "2026-03-15-old-cleanup", state: .missing,
                                      description: "remove test tenants", checksum: "00112233445566778899aabbccddeeff", skippable: false)
        snapshot.migrations = [gone, edited, initial, backfill, fix, rename]
        var boot = Snapshot.Run(id: 42, kind: "migrate", trigger: "boot", status: "failed",
                                startedAt: "2026-05-22T12:01:02.512Z", host: "web-2", pid: 4411)
        boot.finishedAt = "2026-05-22T12:01:03.130Z"
        boot.error = backfill.lastError
        var console = Snapshot.Run(id: 41, kind: "dry-run", trigger: "console", status: "succeeded",
                                   startedAt: "2026-05-22T11:58:40.000Z", host: "ops-1", pid: 90)
        console.finishedAt = "2026-05-22T11:58:40.300Z"
        var earlier = Snapshot.Run(id: 3, kind: "migrate", trigger: "boot", status: "succeeded",
                                   startedAt: "2026-05-01T09:00:00.000Z", host: "web-1", pid: 812)
        earlier.finishedAt = "2026-05-01T09:00:00.051Z"
        earlier.migrationsApplied = 1
        earlier.eventsWritten = 12
        var preview = Snapshot.Run(id: 43, kind: "dry-run", trigger: "console", status: "failed",
                                   startedAt: "2026-05-22T12:10:00.000Z", host: "ops-1", pid: 90)
        preview.finishedAt = "2026-05-22T12:10:00.400Z"
        preview.error = "2026-05-12-backfill-severity: 1 row would be rejected"
        snapshot.runs = [preview, boot, console, earlier]
        snapshot.projections = [
            Snapshot.Projection(name: "tenants", codeVersion: 1, storedVersion: 1, checkpoint: 5120, head: 5120),
            Snapshot.Projection(name: "memberships", codeVersion: 2, storedVersion: 1, checkpoint: 5120, head: 5120,
                                staleReason: "its code is version 2, its tables were built by version 1"),
        ]
        snapshot.blocked = true
        snapshot.problems = ["drift: seeds/2026-04-02-seed-roles.sql changed after it was applied"]
        return snapshot
    }

    /// The log of the failed boot.
    static func bootLog() -> LogState {
        var log = LogState()
        log.runId = 42
        var run = Snapshot.Run(id: 42, kind: "migrate", trigger: "boot", status: "failed",
                               startedAt: "2026-05-22T12:01:02.512Z", host: "web-2", pid: 4411)
        run.error = "failed"
        log.run = run
        log.lines = [
            .init(id: 1, time: "12:01:02", level: "info", message: "2/6 pending"),
            .init(id: 2, time: "12:01:02", level: "info", message: "dry-run ok — all referenced handlers registered"),
            .init(id: 3, time: "12:01:03", level: "error", message: "✗ 2026-05-12-backfill-severity failed at block 1 (incident:write:open), row 3: version conflict on incident i-9: the stream lives in tenant globex, not acme"),
            .init(id: 4, time: "12:01:03", level: "error", message: "  fix: pass stream_tenant = 'globex' for this row: add a `stream_tenant` column to the SELECT"),
            .init(id: 5, time: "12:01:03", level: "error", message: "stopped at 2026-05-12-backfill-severity; later migrations did not run"),
        ]
        log.follow = true
        log.all = log.lines
        return log
    }

    /// A state showing the fixture, at a size.
    static func state(width: Int = 100, height: Int = 30, readonly: Bool = false, protected: Bool = false) -> ConsoleState {
        var state = ConsoleState(
            readonlyReason: readonly ? "read-only console (--readonly)" : nil, protected: protected,
            environments: [
                .init(name: "staging", database: "/srv/app/events.sqlite", protected: false, current: true),
                .init(name: "production", database: "/srv/prod/events.sqlite", protected: true, current: false),
            ])
        _ = Reducer.reduce(&state, .resized(width: width, height: height))
        _ = Reducer.reduce(&state, .loaded(snapshot()))
        state.log = bootLog()
        state.candidates["2026-05-20-fix-admin-roles"] = "2"
        return state
    }

    /// The dry-run preview of fix-admin-roles.
    static func preview() -> PreviewModel {
        PreviewModel(
            runId: 43,
            events: [
                PreviewModel.Event(type: "tenant-membership.updated", streamType: "tenant-membership", streamId: "m-17", version: 3,
                                   tenant: "acme", payload: #"{"roles":["Admin","TenantAdmin"]}"#),
                PreviewModel.Event(type: "tenant-membership.updated", streamType: "tenant-membership", streamId: "m-23", version: 2,
                                   tenant: "acme", payload: #"{"roles":["Admin","TenantAdmin"]}"#),
            ],
            changes: [
                PreviewModel.Change(table: "memberships", key: "m-17", kind: .update, fields: [
                    .init(name: "roles", old: #"["Admin"]"#, new: #"["Admin","TenantAdmin"]"#),
                ]),
                PreviewModel.Change(table: "memberships", key: "m-23", kind: .update, fields: [
                    .init(name: "roles", old: #"["Admin"]"#, new: #"["Admin","TenantAdmin"]"#),
                ]),
            ],
            rejections: [], idempotent: true, note: nil)
    }
}

extension ConsoleState {
    /// Sends keys through the reducer, returning every effect asked for.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects += Reducer.reduce(&self, .key(key)) }
        return effects
    }

    /// Types text as character keys.
    @discardableResult
    mutating func type(_ text: String) -> [Effect] {
        var effects: [Effect] = []
        for character in text { effects += Reducer.reduce(&self, .key(.character(character))) }
        return effects
    }
}
