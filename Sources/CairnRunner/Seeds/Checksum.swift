import Crypto
import Foundation

/// Checksums of seed files.
public enum Checksum {
    /// The SHA-256, in hex, of a seed's text with its line endings normalised, so
    /// a checkout that turns `\n` into `\r\n` does not look like drift.
    public static func of(seedText text: String) -> String {
        SHA256.hash(data: Data(SeedParser.normalized(text).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
