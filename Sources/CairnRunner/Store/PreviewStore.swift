import CairnStore

/// The store a dry-run writes to and throws away: private to the preview, equal to the
/// real store when it was made, so the application's writes never wait for a preview.
///
/// On SQLite it is a copy made with the online backup API (`PreviewCopy`); another
/// store may hand out a transaction of its own that it rolls back.
public struct PreviewStore {
    /// The store to preview on.
    public let store: any RunnerStore
    /// Ends the preview: closes the store and removes what it made.
    public let discard: () -> Void

    /// A preview store and how to discard it.
    public init(store: any RunnerStore, discard: @escaping () -> Void) {
        self.store = store
        self.discard = discard
    }
}
