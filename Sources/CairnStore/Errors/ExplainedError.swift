/// An error that says what went wrong, where, and what to do about it.
///
/// Every public Cairn error conforms, so command-line and console front ends can
/// show the summary and the remedy on their own lines.
public protocol ExplainedError: Error, CustomStringConvertible {
    /// What went wrong and where, in one sentence.
    var summary: String { get }
    /// What to do about it, when there is something to do.
    var remedy: String? { get }
}

extension ExplainedError {
    public var description: String {
        guard let remedy else { return summary }
        return "\(summary) — \(remedy)"
    }
}
