/// A read-model row read the wrong way: a column the query does not have, or a value of another kind.
public enum ReadModelError: ExplainedError, Sendable, Hashable {
    case noColumn(String, columns: [String])
    case wrongKind(String, expected: String, found: SQLValue)

    public var summary: String {
        switch self {
        case .noColumn(let column, let columns):
            return "the query has no column '\(column)' (it has \(columns.joined(separator: ", ")))"
        case .wrongKind(let column, let expected, let found):
            return "column '\(column)' should hold \(expected), found \(found)"
        }
    }

    public var remedy: String? { "select the column under that name, with the type the code reads" }

    public var exitCode: Int32 { CairnExit.failed }
}
