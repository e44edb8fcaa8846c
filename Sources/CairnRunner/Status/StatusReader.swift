import CairnStore
import Foundation

/// Computes the status report from the catalog and the bookkeeping tables.
///
/// It reads markers, overrides, the newest attempts and the lock: a handful of
/// small queries whose cost does not grow with the number of events.
enum StatusReader {
    /// What a `CAIRN_SKIP_<ID>` value says.
    enum SkipMeaning { case skip, noSkip, unknown }

    /// `1`, `true`, `yes` skip; `0`, `false`, `no` and the empty string do not (any case,
    /// spaces around ignored); anything else is a validation error, never a silent no.
    static func skipMeaning(_ value: String) -> SkipMeaning {
        switch value.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "true", "yes": return .skip
        case "0", "false", "no", "": return .noSkip
        default: return .unknown
        }
    }

    /// The command that finishes a revert that stopped: `--to` what it keeps, or `--steps` with
    /// every applied migration when it keeps none.
    static func finishRevert(_ attempt: Attempt, markers: [Marker]) -> String {
        let keeps = attempt.runOptions.flatMap(MigrationRunner.keeps(options:))
            ?? markers.map(\.migrationId).filter { $0 < attempt.migrationId }.max() ?? ""
        return MigrationRunner.finishingRevert(keeps: keeps, applied: markers.count)
    }

    static func read(
        store: any RunnerStore, catalog: MigrationCatalog, environment: [String: String], environmentName: String,
        now: Date = Date()
    ) throws -> StatusReport {
        let (markers, overrides, attempts, lock, owed) = try store.readLedger { ledger in
            (try ledger.markers(), try ledger.overrides(), try ledger.latestAttempts(), try ledger.lock(), try ledger.owedRebuilds())
        }
        let markerById = Dictionary(uniqueKeysWithValues: markers.map { ($0.migrationId, $0) })
        let overrideById = Dictionary(uniqueKeysWithValues: overrides.map { ($0.migrationId, $0) })
        let newestApplied = markers.map(\.migrationId).max()
        var statuses: [MigrationStatus] = []
        var problems: [String] = catalog.problems.map(\.description)
        var blockers: [String] = []

        for migration in catalog.migrations {
            var notes: [String] = []
            if case .invalid(let errors) = migration.source {
                notes += errors.map(\.description)
            }
            let marker = markerById[migration.id]
            let attempt = attempts[migration.id]
            var partial: PartialWork?
            var state: MigrationState
            var skip: SkipInfo?
            var ignoredSkipVariable: String?
            if let marker {
                if migration.checksum.isEmpty {
                    // Its file cannot be read (or is not text): whether it changed cannot be told.
                    state = .drift
                    let note = "\(migration.path ?? migration.id) was applied on \(marker.appliedAt), but its file cannot be"
                        + " read now, so whether it changed cannot be checked"
                    notes.append(note)
                    blockers.append("unreadable: \(note); make it readable again")
                } else if marker.checksumVersion < 1 {
                    // No Cairn writes such a version: the marker was edited by hand. It cannot vouch for the file.
                    state = .drift
                    let note = "the marker of \(migration.id) has checksum normalisation v\(marker.checksumVersion), which no"
                        + " Cairn writes, so its file cannot be compared"
                    notes.append(note)
                    blockers.append("drift: \(note); approve the file as it is with `\(ToolName.current) repair \(migration.id) --reason \"…\"`")
                } else if let now = migration.checksum(version: marker.checksumVersion), now != marker.checksum {
                    state = .drift
                    let note = "\(migration.path ?? migration.id) changed after it was applied on \(marker.appliedAt)"
                        + " (checksum \(marker.checksum.prefix(12))… then, \(now.prefix(12))… now)"
                    notes.append(note)
                    blockers.append("drift: \(note); restore the file, write a new migration, or approve the change with"
                        + " `\(ToolName.current) repair \(migration.id) --reason \"…\"`")
                } else {
                    state = .applied
                    if migration.checksum(version: marker.checksumVersion) == nil {
                        // Written by a newer Cairn that normalises files another way: it cannot be compared
                        // here, and is not called drift for it (a rolled-back deployment must still boot).
                        let note = "the marker of \(migration.id) was taken with checksum normalisation"
                            + " v\(marker.checksumVersion), newer than this Cairn's v\(Checksum.currentVersion),"
                            + " so whether its file changed is not checked"
                        notes.append(note)
                        problems.append(note + ": upgrade cairn to compare it")
                    }
                    if marker.retired {
                        notes.append("retired on \(marker.repairedAt ?? "?") by \(marker.repairedBy ?? "?"), but its file is back")
                    }
                    if let attempt, attempt.runKind == .revert, attempt.leftCommittedWork {
                        state = .partial
                        partial = PartialWork(
                            direction: .down, runId: attempt.runId, runStatus: attempt.status, rows: attempt.rowsDone,
                            events: attempt.eventsWritten, finish: StatusReader.finishRevert(attempt, markers: markers))
                    }
                }
            } else {
                let variable = MigrationID.skipVariable(for: migration.id)
                let envValue = environment[variable]
                let meaning = envValue.map(StatusReader.skipMeaning)
                let envSkip = meaning == .skip
                let override = overrideById[migration.id].flatMap { $0.isActive(at: now) ? $0 : nil }
                if meaning == .unknown, let envValue {
                    let note = "\(variable)=\(envValue.visibleControls) is not a skip value"
                    notes.append(note)
                    ignoredSkipVariable = note + ": set it to 1, true or yes to skip, 0, false, no or nothing not to"
                    problems.append(ignoredSkipVariable!)
                } else if envSkip && !migration.skippable {
                    let note = "\(variable)=\(envValue ?? "") is set, but \(migration.id) is not skippable"
                    notes.append(note)
                    ignoredSkipVariable = note
                    problems.append("\(note): remove the variable, or declare `-- skippable: true` in the seed")
                }
                if override != nil, !migration.skippable {
                    notes.append("an override skips \(migration.id), but it is no longer skippable; the override is ignored")
                }
                if migration.skippable && envSkip {
                    skip = SkipInfo(source: .env, reason: variable, by: nil, at: nil, until: nil)
                } else if migration.skippable, let override {
                    skip = SkipInfo(
                        source: .override, reason: override.reason, by: override.createdBy, at: override.createdAt,
                        until: override.expiresAt)
                }
                if skip != nil {
                    state = .skipped
                } else if let attempt, attempt.runKind != .revert, attempt.leftCommittedWork, attempt.status != .failed {
                    // Canceled, interrupted or still running with batches committed; a failure stays `failed`
                    // (its detail counts what it committed).
                    state = .partial
                    partial = PartialWork(
                        direction: .up, runId: attempt.runId, runStatus: attempt.status, rows: attempt.rowsDone,
                        events: attempt.eventsWritten, finish: "\(ToolName.current) up")
                } else if let attempt, attempt.status.leftItFailed {
                    state = .failed
                } else {
                    state = .pending
                }
            }
            let outOfOrder = marker == nil && newestApplied.map { migration.id < $0 } == true
            statuses.append(MigrationStatus(
                id: migration.id, state: state, description: migration.description, checksum: migration.checksum,
                skippable: migration.skippable, outOfOrder: outOfOrder, migration: migration, marker: marker, skip: skip,
                ignoredSkipVariable: ignoredSkipVariable, lastAttempt: attempts[migration.id], partial: partial,
                problems: notes))
        }
        let known = Set(catalog.migrations.map(\.id))
        for marker in markers where !known.contains(marker.migrationId) {
            // A retired one says how it was retired in its recovery note; a missing one blocks.
            let state: MigrationState = marker.retired ? .retired : .missing
            var notes: [String] = []
            if !marker.retired {
                let note = "\(marker.migrationId) was applied on \(marker.appliedAt) but its file is gone"
                notes.append(note)
                blockers.append("missing: \(note); restore \(marker.migrationId).sql in the seeds folder, or retire it with"
                    + " `\(ToolName.current) repair \(marker.migrationId) --reason \"…\"` if it was deleted on purpose")
            }
            statuses.append(MigrationStatus(
                id: marker.migrationId, state: state, description: marker.description, checksum: marker.checksum,
                skippable: false, outOfOrder: false, migration: nil, marker: marker, skip: nil,
                ignoredSkipVariable: nil, lastAttempt: attempts[marker.migrationId], problems: notes))
        }
        statuses.sort { $0.id < $1.id }
        let variables = Set(catalog.migrations.map { MigrationID.skipVariable(for: $0.id) })
        let stray = environment.keys.filter { $0.hasPrefix("CAIRN_SKIP_") && !variables.contains($0) }.sorted()
        return StatusReport(
            environment: environmentName, database: store.location, seeds: catalog.directory, migrations: statuses,
            blockers: blockers, problems: blockers + problems, lock: lock, owedRebuilds: owed,
            strayVariables: stray.map { "\($0.visibleControls) names no migration here; it skips nothing" })
    }
}
