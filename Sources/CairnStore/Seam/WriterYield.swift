import Foundation

/// Lets an application's waiting writes in between a long run's batches (migrations,
/// reverts, rebuild chunks).
///
/// SQLite gives the write lock to whoever asks when it is free; a writer waiting in
/// its busy handler retries every 100 ms at most, so a run that starts its next batch
/// the moment the last one commits can keep it out for seconds. So the run pauses 110 ms
/// — longer than one busy-handler retry, so any waiting writer gets in — after every
/// 3 s of batches, and after every second once it has seen another connection commit
/// (the store is shared): a waiting writer gets in within about 3 s, then within about a
/// second. A run alone on its store loses under 4% to it.
public struct WriterYield {
    private let store: any EventStoring
    private var version: Int64?
    private var shared = false
    private var lastPause = Date()

    /// The pause, and how much lock-holding time may pass between two of them, alone and shared.
    static let pause: TimeInterval = 0.11
    static let everyAlone: TimeInterval = 3.0
    static let everyShared: TimeInterval = 1.0

    /// A yield for a run over `store`.
    public init(store: any EventStoring) {
        self.store = store
    }

    /// Called after a batch committed, outside any transaction.
    public mutating func afterCommit() {
        if !shared {
            let now = try? store.foreignWriteVersion()
            if let version, let now, now != version { shared = true }
            version = now
        }
        guard Date().timeIntervalSince(lastPause) >= (shared ? Self.everyShared : Self.everyAlone) else { return }
        Thread.sleep(forTimeInterval: Self.pause)
        lastPause = Date()
    }
}
