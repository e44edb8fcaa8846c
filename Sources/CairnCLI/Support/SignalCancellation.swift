import CairnRunner
import Foundation

/// Turns SIGINT and SIGTERM into a cancellation flag for a long command: the first
/// signal asks the run to stop at the next batch boundary; a second one exits at once
/// (SQLite rolls back the open transaction, so nothing half-written stays).
final class SignalCancellation: @unchecked Sendable {
    let flag = CancellationFlag()
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening for SIGINT and SIGTERM.
    init() {
        for (signalNumber, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [flag] in
                if flag.isCancelled {
                    Output.error("\(name) again: stopping now; the current batch is rolled back")
                    exit(130)
                }
                flag.cancel(reason: name)
                Output.warning("\(name): stopping after the current batch (send it again to stop at once)")
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
