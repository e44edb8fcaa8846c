import CairnConsole
import CairnStore
import Foundation

/// Runs the console in a terminal until the operator quits, a signal arrives, or
/// the terminal goes away; the terminal is restored on every one of those paths.
public enum ConsoleLoop {
    /// Runs `controller` in `terminal`.
    public static func run(_ controller: ConsoleController, in terminal: Terminal, themes: ((String) throws -> Theme)? = nil) {
        let stop = StopSignals()
        defer { terminal.close() }
        controller.frontEnd = { effect in
            switch effect {
            case .copy(let text):
                terminal.copy(text)
                return nil
            case .setTheme(let name):
                guard let themes else { return "this console cannot switch themes" }
                do {
                    terminal.use(try themes(name))
                    return nil
                } catch {
                    return (error as? any ExplainedError).map { $0.summary + ($0.remedy.map { "; \($0)" } ?? "") } ?? "\(error)"
                }
            default:
                return nil
            }
        }
        let size = terminal.size
        controller.send(.resized(width: size.width, height: size.height))
        controller.start()
        var shown: Screen?
        while !controller.finished && !stop.raised && !terminal.isGone {
            var changed = false
            var key = terminal.readKey(timeout: 80)
            var sawResize = false
            // Every key already typed is taken before the next frame: 500 queued page-downs
            // cost one frame, not 500.
            var taken = 0
            while let pressed = key {
                if pressed == .resize {
                    sawResize = true
                    let size = terminal.size
                    terminal.invalidate()
                    controller.send(.resized(width: size.width, height: size.height))
                } else {
                    controller.send(.key(pressed))
                }
                changed = true
                taken += 1
                if controller.finished || taken >= 1_000 { break }
                key = terminal.readKey(timeout: 0)
            }
            if !sawResize && terminal.pollResize() {
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
