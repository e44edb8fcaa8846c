import Foundation
import GRDBSQLite

/// The one time limit for running queries on SQLite: a progress handler that
/// interrupts the statement once the deadline has passed.
///
/// The gate keeps one installed on its connection and starts it per query; the
/// candidate reader installs one on the writer's connection for the length of a
/// fetch. After an interrupt, `hit` tells a timeout from another error.
final class QueryDeadline {
    private var end: Date?
    /// True when the deadline interrupted a statement since it was started.
    private(set) var hit = false

    /// Starts counting `timeout` seconds from now.
    func start(_ timeout: TimeInterval) {
        end = Date().addingTimeInterval(timeout)
        hit = false
    }

    /// Stops counting: statements run without a limit until the next `start`.
    func clear() {
        end = nil
    }

    /// True once the deadline has passed; called from the progress handler.
    func expired() -> Bool {
        guard let end, Date() > end else { return false }
        hit = true
        return true
    }

    /// How many virtual machine steps run between two looks at the clock.
    ///
    /// SQLite cannot stop a function call half-way, so a query whose rows each call an
    /// expensive function (an `instr` over megabytes) overruns its limit by the steps between
    /// looks: a tenth as many as at 1,000, which let one such query run 390 s past a 1 s limit.
    /// A look is a clock read, tens of nanoseconds against the steps' own work; an apply's
    /// time did not move (docs/PERFORMANCE.md, the fourth session).
    static let stepsBetweenLooks: Int32 = 100

    /// Installs the deadline's progress handler on `db`, checked every `stepsBetweenLooks` steps.
    ///
    /// The deadline must outlive the installation: call `uninstall` (or close the connection) first.
    func install(on db: OpaquePointer?) {
        sqlite3_progress_handler(db, Self.stepsBetweenLooks, { context in
            Unmanaged<QueryDeadline>.fromOpaque(context!).takeUnretainedValue().expired() ? 1 : 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Removes the progress handler from `db`.
    static func uninstall(from db: OpaquePointer?) {
        sqlite3_progress_handler(db, 0, nil, nil)
    }
}
