import ArgumentParser
import CairnRunner

/// The options and the order of steps the recovery verbs (`repair`, `baseline`) share: check on a
/// read-only store, confirm on a protected environment, then write under the lock.
struct RecoveryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The environment's name again, required on a protected environment without a terminal.", valueName: "name"))
    var confirm: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for another runner's lock (default 60).", valueName: "seconds"))
    var lockTimeout: Double = 60

    func validate() throws {
        try OptionRange.seconds(lockTimeout, "--lock-timeout")
    }

    /// Runs `check` on a read-only store (a refusal leaves the file byte for byte as it was, and comes
    /// before the confirmation: a typo is not worth typing a name for), asks for the confirmation that
    /// `action` names the work of, then runs `write` on a writing runner with the lock's wait set.
    func perform<T>(
        on target: Target, check: (MigrationRunner) throws -> T, action: (T?) -> String,
        write: (MigrationRunner, MigrateOptions) throws -> Void
    ) throws {
        let checked = try target.checkReadOnly(check)
        try ProtectedConfirmation.check(target, confirm: confirm, action: action(checked))
        let runner = try target.runner(waiting: lockTimeout)
        var options = MigrateOptions()
        options.lockTimeout = lockTimeout
        try write(runner, options)
    }
}
