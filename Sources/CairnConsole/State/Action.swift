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
    case candidatesCounted(id: String, text: String)
    case eventsLoaded(id: String, lines: [String])
    case jobProgress(String)
    case jobFinished(title: String, result: Result<String, ConsoleFailure>)
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
    case countCandidates(String)
    case loadEvents(String)
    case write(WriteAction)
    case cancelJob
    case switchEnvironment(String)
}
