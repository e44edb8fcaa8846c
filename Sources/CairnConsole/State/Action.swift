import CairnStore
/// Something that happened: a key, a resize, a tick, or the result of work done off the UI thread.
public enum Action: Sendable {
    case key(Key)
    case resized(width: Int, height: Int)
    /// Time passed: refresh what other processes may have changed.
    case tick
    case loaded(Snapshot)
    case loadFailed(String)
    /// Lines of run `runId` after line `after`; `shown` and `after` say which request it answers.
    case logLoaded(runId: Int64, run: Snapshot.Run?, lines: [LogState.Line], shown: Int64?, after: Int64)
    case previewLoaded(id: String, result: Result<PreviewModel, ConsoleFailure>)
    /// The run a log was asked for does not exist.
    case logMissing(Int64)
    case candidatesCounted(id: String, text: String)
    /// A page of the events a migration wrote; `append` adds it to the pages loaded.
    case eventsLoaded(id: String, events: [PreviewModel.Event], lastPosition: Int64, total: Int, append: Bool)
    /// What a run did to each migration it met.
    case runMigrationsLoaded(runId: Int64, items: [Snapshot.RunMigration])
    /// `cairn.toml` was read again (ctrl-r): its environments now.
    case configReloaded(Result<[ConsoleState.EnvironmentItem], ConsoleFailure>)
    case jobProgress(String)
    case jobFinished(title: String, result: Result<String, ConsoleFailure>)
    /// A lock broken beside a job that waited for it.
    case lockBroken(Result<String, ConsoleFailure>)
    case environmentSwitched(name: String, result: Result<Snapshot, ConsoleFailure>)
}

/// An error from background work, as text.
public struct ConsoleFailure: ExplainedError, Sendable, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var summary: String { message }
    public var remedy: String? { nil }
    public var exitCode: Int32 { CairnExit.failed }
}

/// Work the reducer asks for; the effect runner does it off the UI thread.
public enum Effect: Sendable, Equatable {
    case refresh
    /// Loads log lines of a run (the newest run when nil) after line `after` of run `shown`
    /// (from the start when the run turns out to be another one).
    case loadLog(runId: Int64?, shown: Int64?, after: Int64)
    case preview(String)
    /// A dry-run of every pending migration in run order, each seeing the effects of the ones before.
    case previewAll([String])
    case countCandidates(String)
    /// Loads the events a migration wrote after position `after`.
    case loadEvents(String, after: Int64)
    case loadRunMigrations(Int64)
    /// Reads `cairn.toml` again and reopens the environment named, if any.
    case reloadConfig(current: String?)
    /// Front-end work, done by the terminal layer: copy text to the clipboard (OSC 52).
    case copy(String)
    /// Front-end work: switch to the theme named.
    case setTheme(String)
    case write(WriteAction)
    case cancelJob
    /// Breaks the lock while a job waits for it, beside that job (not after it).
    case breakLockBeside(force: Bool)
    case switchEnvironment(String)
}
