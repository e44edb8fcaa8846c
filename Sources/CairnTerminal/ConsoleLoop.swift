import CairnConsole
import Foundation

/// Runs the console in a terminal until the operator quits, a signal arrives, or
/// the terminal goes away; the terminal is restored on every one of those paths.
public enum ConsoleLoop {
    /// Runs `controller` in `terminal`.
    public static func run(_ controller: ConsoleController, in terminal: Terminal) {
        let stop = StopSignals()
        defer { terminal.close() }
        let size = terminal.size
        controller.send(.resized(width: size.width, height: size.height))
        controller.start()
        var shown: Screen?
        while !controller.finished && !stop.raised && !terminal.isGone {
            var changed = false
            let key = terminal.readKey(timeout: 80)
            if let key {
                if key == .resize {
                    let size = terminal.size
                    terminal.invalidate()
                    controller.send(.resized(width: size.width, height: size.height))
                } else {
                    controller.send(.key(key))
                }
                changed = true
            }
            if key != .resize && terminal.pollResize() {
                let size = terminal.size
                controller.send(.resized(width: size.width, height: size.height))
                changed = true
            }
            changed = controller.drain() || changed
            changed = controller.tickIfDue() || changed
            if changed || shown == nil {
                let screen = controller.render()
                if screen != shown {
                    terminal.draw(screen)
                    shown = screen
                }
            }
        }
    }
}

/// SIGTERM, SIGHUP and SIGINT end the console cleanly instead of leaving the terminal raw.
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGTERM, SIGHUP, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        for number in [SIGTERM, SIGHUP, SIGINT] { signal(number, SIG_DFL) }
    }

    private func raise() { lock.withLock { stopped = true } }

    var raised: Bool { lock.withLock { stopped } }
}
