import CairnRunner
import Foundation

/// Glue between the reducer, the effect runner and a front end: it keeps the
/// state, turns actions into new states and effects, and renders screens.
///
/// The front end calls `send` with keys and resizes, `drain` to take in results
/// of background work, `tickIfDue` now and then, and `render` to get a screen.
public final class ConsoleController: @unchecked Sendable {
    public private(set) var state: ConsoleState
    private var effects: EffectRunner!
    private let inboxLock = NSLock()
    private var inbox: [Action] = []
    private var lastTick = Date.distantPast
    /// How often the console looks for changes made by other processes.
    public var tickInterval: TimeInterval = 1

    /// A controller over `runner`, starting from `state`.
    /// Does the effects only a front end can: `.copy` (OSC 52) and `.setTheme`; returns an error to show, if any.
    public var frontEnd: ((Effect) -> String?)?

    public init(runner: MigrationRunner, state: ConsoleState, factory: EffectRunner.RunnerFactory? = nil,
                environments: EffectRunner.EnvironmentsLoader? = nil) {
        self.state = state
        effects = EffectRunner(runner: runner, factory: factory, environments: environments) { [weak self] action in
            self?.enqueue(action)
        }
    }

    /// Loads the first snapshot and log.
    public func start() {
        run(Reducer.reduce(&state, .tick))
        lastTick = Date()
    }

    /// Applies an action from the front end (a key, a resize); returns true when the state
    /// changed, so a front end draws a frame only then.
    @discardableResult
    public func send(_ action: Action) -> Bool {
        let before = state
        run(Reducer.reduce(&state, action))
        return state != before
    }

    /// Applies every result posted by background work; returns true when there was any.
    @discardableResult
    public func drain() -> Bool {
        let actions = inboxLock.withLock { () -> [Action] in
            defer { inbox = [] }
            return inbox
        }
        for action in actions { run(Reducer.reduce(&state, action)) }
        return !actions.isEmpty
    }

    /// Sends a tick when the interval has passed; returns true when that changed the state
    /// (a tick itself only asks for fresh reads, whose results come through `drain`).
    @discardableResult
    public func tickIfDue(now: Date = Date()) -> Bool {
        guard now.timeIntervalSince(lastTick) >= tickInterval else { return false }
        lastTick = now
        return send(.tick)
    }

    /// Waits up to `timeout` seconds for background results and applies them; for tests and benchmarks.
    @discardableResult
    public func settle(timeout: TimeInterval = 5, until condition: (ConsoleState) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            drain()
            if condition(state) { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        drain()
        return condition(state)
    }

    /// The current screen.
    public func render() -> Screen {
        Renderer.render(state)
    }

    /// True once the operator quit.
    public var finished: Bool { state.quit }

    private func enqueue(_ action: Action) {
        inboxLock.withLock { inbox.append(action) }
    }

    private func run(_ list: [Effect]) {
        for effect in list {
            switch effect {
            case .copy, .setTheme:
                if let problem = frontEnd?(effect) ?? (frontEnd == nil ? "this console has no terminal to do that" : nil) {
                    state.notice = .init(text: problem, isError: true)
                }
            default:
                effects.run(effect)
            }
        }
    }
}
