import CairnStore

/// Turns what went wrong with a candidate row into a `MigrationFailure` that names the
/// row and says what to do: shared by the apply path and the dry-run, so both report
/// a failure the same way.
enum FailureDiagnosis {
    /// The payload column of a candidate row as text, or a failure saying why it is not.
    static func payloadText(_ row: CandidateRow, migration: String, block: SeedBlock, number: Int) throws -> String {
        switch row.streamTenantValue {
        case .null, .text: break
        default:
            throw MigrationFailure(
                migrationId: migration, block: block.index, handler: block.handler.description, row: number,
                payload: row.payloadDescription,
                error: "the stream_tenant column is \(kind(of: row.streamTenantValue)) (\(row.streamTenantValue)); it must be"
                    + " text naming a tenant, or NULL",
                advice: "select the tenant's id as text, e.g. m.stream_tenant AS stream_tenant, or CAST(... AS TEXT)")
        }
        if let tenant = row.streamTenant, tenant.holdsNUL {
            throw MigrationFailure(
                migrationId: migration, block: block.index, handler: block.handler.description, row: number,
                payload: row.payloadDescription,
                error: "the stream_tenant column holds a NUL character (U+0000), which a tenant id cannot hold",
                advice: "select the tenant's id without it, e.g. replace(x, char(0), '')")
        }
        if let tenant = row.streamTenant, let problem = QueryGate.tenantProblem(tenant) {
            throw MigrationFailure(
                migrationId: migration, block: block.index, handler: block.handler.description, row: number,
                payload: row.payloadDescription, error: problem,
                advice: "select the tenant's id trimmed, or NULL where the row has none, e.g. NULLIF(trim(x), '') AS stream_tenant")
        }
        guard case .text(let text) = row.payload else {
            throw MigrationFailure(
                migrationId: migration, block: block.index, handler: block.handler.description, row: number,
                payload: row.payload.isNull ? "NULL" : "\(row.payload)",
                error: "the payload column is \(row.payload.isNull ? "NULL" : "not text"); it must be a JSON object",
                advice: "build it with json_object(...) AS payload (jsonb_build_object on PostgreSQL), and filter out rows where it would be NULL")
        }
        return text
    }

    /// A value's kind in words: "an integer", "a real", "a blob".
    static func kind(of value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .int: return "an integer"
        case .double: return "a real"
        case .text: return "text"
        case .blob: return "a blob"
        }
    }

    /// A failure report for an error raised while handling a row, with advice where Cairn can give it.
    static func failure(
        _ error: any Error, migration: String, block: Int?, handler: String?, row: Int?, payload: String?,
        streamTenant: String?
    ) -> MigrationFailure {
        MigrationFailure(
            migrationId: migration, block: block, handler: handler, row: row, payload: payload,
            streamTenant: streamTenant, error: describe(error, handler: handler), advice: advice(for: error),
            cause: error)
    }

    /// An error raised by a handler, a query or the store, in words.
    static func describe(_ error: any Error, handler: String?) -> String {
        switch error {
        case let conflict as VersionConflict:
            if let owner = conflict.owningTenant {
                return "version conflict on \(conflict.streamType) \(conflict.streamId): the stream lives in tenant \(owner), not \(conflict.tenant)"
            }
            return conflict.description
        case let rejection as HandlerRejection:
            return "\(handler ?? "the handler") rejected the row: \(rejection)"
        case let explained as any ExplainedError:
            return explained.summary
        default:
            return "\(error)"
        }
    }

    /// What to do about an error raised while handling a row, when Cairn can tell.
    static func advice(for error: any Error) -> String? {
        switch error {
        case let conflict as VersionConflict:
            if let owner = conflict.owningTenant {
                return "pass stream_tenant = '\(owner)' for this row: add a `stream_tenant` column to the SELECT"
                    + " (for example the read table's stream_tenant, or '\(owner)' AS stream_tenant)"
            }
            return "another writer changed the stream while the migration ran; run it again"
        case is HandlerRejection:
            return "fix the candidate query so it returns a payload the handler accepts, or exclude this row"
        case let explained as any ExplainedError:
            return explained.remedy
        default:
            return nil
        }
    }

    static func notIdempotent(_ id: String, block: SeedBlock, row: Int, payload: String, why: String) -> MigrationFailure {
        MigrationFailure(
            migrationId: id, block: block.index, handler: block.handler.description, row: row, payload: payload,
            error: "not idempotent: \(why)",
            advice: "make the SELECT return only rows that still need the change,"
                + " e.g. `AND NOT EXISTS (...)` on the state the handler writes; nothing of this batch was committed")
    }
}
