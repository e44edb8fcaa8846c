/// Counts the rows SQLite stepped through in full table scans by the statements of a read
/// model, for a rebuild to see when a projection searches its tables by more than their key.
///
/// A rebuild's shadow tables start without their secondary indexes (each insert then
/// maintains only the key, and the swap builds the indexes once under their live names);
/// the first full scan a projection's statement makes tells the rebuild to create them at
/// once, so a projection that looks rows up by an indexed column never scans for long. A
/// projection that asks for GRDB's connection (`context.db`) counts as scanning: its own
/// statements are not measured.
package final class ScanMeter {
    /// Rows stepped in full scans since the meter was made.
    package var fullScanSteps = 0

    package init() {}
}
