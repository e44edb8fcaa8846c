import Crypto
import Foundation

/// Checksums of seed files.
public enum Checksum {
    /// The SHA-256, in hex, of a seed's text with its line endings normalised, so
    /// a checkout that turns `\n` into `\r\n` does not look like drift.
    public static func of(seedText text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(SeedParser.normalized(text).utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
