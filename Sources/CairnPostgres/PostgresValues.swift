import CairnStore
import Foundation
import NIOCore
import PostgresNIO

/// Store-neutral values to and from PostgreSQL's wire format.
///
/// Text is bound with no declared type (OID 0), so the server infers it from where the
/// placeholder stands: the same `?` takes a `text`, `jsonb`, `timestamptz` or `uuid`
/// column, as it would from a literal. Integers go as `int8`, doubles as `float8`,
/// bytes as `bytea`.
enum PostgresValues {
    /// The bindings for `values`, in order.
    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null:
                bindings.appendNull()
            case .int(let number):
                bindings.append(number)
            case .double(let number):
                bindings.append(number)
            case .text(let text):
                bindings.append(UntypedText(text: text))
            case .blob(let bytes):
                bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        return bindings
    }

    /// A row as a store-neutral one.
    static func row(_ row: PostgresRow) -> SQLRow {
        var columns: [String] = []
        var values: [SQLValue] = []
        columns.reserveCapacity(row.count)
        values.reserveCapacity(row.count)
        for cell in row {
            columns.append(cell.columnName)
            values.append(value(cell))
        }
        return SQLRow(columns: columns, values: values)
    }

    /// One cell as a store-neutral value: integers, floating point and booleans as numbers,
    /// times as ISO 8601 text, bytes as a blob, everything else as its text.
    static func value(_ cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int64.self)).map(SQLValue.int) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .int($0 ? 1 : 0) } ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.double) ?? .null
        case .numeric:
            guard let decimal = try? cell.decode(Decimal.self) else { return .null }
            let number = NSDecimalNumber(decimal: decimal)
            if decimal == Decimal(number.int64Value) { return .int(number.int64Value) }
            return .double(number.doubleValue)
        case .bytea:
            return (try? cell.decode(ByteBuffer.self)).map { .blob(Array($0.readableBytesView)) } ?? .null
        case .timestamptz, .timestamp, .date:
            return (try? cell.decode(Date.self)).map { .text(Timestamp.string(from: $0)) } ?? .null
        case .json, .jsonb:
            // Compact, as Cairn writes JSON on SQLite: jsonb's own text puts spaces after ':' and ','.
            guard let text = try? cell.decode(String.self) else { return .null }
            return .text((try? JSONValue(parsing: text))?.jsonText ?? text)
        default:
            return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }
}

/// Text bound in the text format with no declared type, for the server to infer.
private struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String

    var psqlType: PostgresDataType { PostgresDataType(0) }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(text)
    }
}
