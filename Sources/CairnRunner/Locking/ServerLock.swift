/// The server-held side of the migration lock, where the store has one: PostgreSQL's
/// session advisory lock, which the server releases when the holder's connection dies,
/// so no one has to guess from heartbeats whether a holder is gone.
///
/// On such a store the lock row (holder, host, pid, run) says who holds the lock; the
/// server lock says whether they still do.
public protocol ServerLock: AnyObject {
    /// Takes the lock if it is free; false when another connection holds it.
    func tryAcquire() throws -> Bool
    /// Gives the lock up and closes its connection.
    func release()
}

/// What a store says about the server side of the migration lock.
public enum ServerLockHolder: Sendable, Equatable {
    /// A connection holds it: the server's process id for that connection.
    case held(backendPID: Int32)
    /// No connection holds it: a lock row left behind belongs to a holder that is gone.
    case free
}
