import GRDB

/// A projection as the ledger knows it: the version its tables were built with and how far it has folded.
public struct ProjectionRecord: Sendable, Hashable, Codable, FetchableRecord {
    public let name: String
    public let version: Int
    public let checkpoint: Int64
    public let rebuiltAt: String?

    enum CodingKeys: String, CodingKey {
        case name, version, checkpoint
        case rebuiltAt = "rebuilt_at"
    }
}
