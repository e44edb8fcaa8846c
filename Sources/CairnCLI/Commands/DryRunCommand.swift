import ArgumentParser
import CairnRunner

/// `cairn dry-run [ID...]`: what migrations would do, without doing it.
struct DryRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Preview migrations without writing them: events, row changes, rejections, idempotency.",
        discussion: """
            Validates, then applies the migrations (default: every pending one, in run order,
            each seeing the effects of the ones before) in the batches `up` would use, on a
            private copy of the store that is thrown away (on PostgreSQL, in a transaction that
            is always rolled back): the application's writes never wait for it. Reports the events that would be appended, the read-model rows that
            would change (field by field), every row a handler would refuse, and whether each
            migration is idempotent, the first N of each (--show) with counts of all. Only the dry-run's run record and log stay in the store.
            Exit 0 when every migration would apply cleanly; 1 when a row would be rejected or
            a migration is not idempotent; 2 and 3 as for `up`; 4 when another process holds
            SQLite's write lock past 10 s while the copy is made (a runner stopped inside a
            batch, a reader of a rollback-journal file).
            """)

    @OptionGroup var environment: EnvironmentOptions

    @Argument(help: ArgumentHelp("Migrations to preview (default: every pending one).", valueName: "id"))
    var ids: [String] = []

    @Option(name: .customLong("revert-to"), help: ArgumentHelp("Preview reverting every migration applied after this id.", valueName: "id"))
    var revertTo: String?

    @Option(name: .customLong("revert-steps"), parsing: .unconditional,
            help: ArgumentHelp("Preview reverting the newest N applied migrations.", valueName: "n"))
    var revertSteps: Int?

    @Flag(name: .long, help: "Print one JSON object instead of the diff.")
    var json = false

    @Flag(name: .long, help: "Preview despite checksum drift or missing files.")
    var allowDrift = false

    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Longest a candidate query may run, in seconds (default 60).", valueName: "seconds"))
    var queryTimeout: Double = 60

    // `.unconditional`: `--limit -1` is a value to refuse plainly, not a missing one.
    @Option(name: [.customLong("limit"), .customLong("show")], parsing: .unconditional, help: ArgumentHelp(
        "Show at most N events, row changes and rejections per migration (default 1000); the rest are counted."
            + " --show is the same.",
        valueName: "n"))
    var show: Int?

    @Flag(name: .long, help: "Print counts only: per migration, events by type, rows by table, rejections.")
    var summary = false

    func validate() throws {
        if !ids.isEmpty && (revertTo != nil || revertSteps != nil) {
            throw ValidationError("name migrations or a revert (--revert-to / --revert-steps), not both")
        }
        if revertTo != nil && revertSteps != nil {
            throw ValidationError("pass --revert-to or --revert-steps, not both")
        }
        try OptionRange.seconds(queryTimeout, "--query-timeout", zeroAllowed: false)
        if let show, show < 0 {
            throw ValidationError("--limit must be 0 or more (got \(show)); 0 shows counts only")
        }
        if summary && show != nil {
            throw ValidationError("pass --summary or --limit, not both: a summary shows counts only, no rows")
        }
        if summary && json {
            throw ValidationError("pass --summary or --json, not both: the JSON object has the counts (eventTypes, tables)")
        }
        if let revertSteps, revertSteps < 1 {
            throw ValidationError("--revert-steps must be at least 1 (got \(revertSteps))")
        }
    }

    func run() throws {
        let target = try environment.resolve()
        let runner = try target.runner()
        var options = MigrateOptions()
        options.allowDrift = allowDrift
        options.queryTimeout = queryTimeout
        // A summary shows no rows: keep none, count them all.
        options.previewLimit = summary ? 0 : show ?? 1_000
        let signals = SignalCancellation()
        options.cancellation = signals.flag
        // The printer shows the previews; the logger only shows what stops the dry-run.
        let logger = CLILogHandler.logger(minimum: .error, toStandardError: json)
        let report = try runner.dryRun(ids, revertTo: revertTo, revertSteps: revertSteps, options: options, logger: logger)
        if json {
            Output.standard(DryRunPrinter.json(report).jsonText)
        } else if summary {
            DryRunPrinter.summaryLines(report).forEach(Output.standard)
        } else {
            DryRunPrinter.lines(report, rolledBack: StoreOpener.isServer(target.database)).forEach(Output.standard)
        }
        withExtendedLifetime(signals) {}
        if !report.clean { throw ExitCode(1) }
    }
}
