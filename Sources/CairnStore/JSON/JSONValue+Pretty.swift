extension JSONValue {
    /// The value as indented JSON, one member or element per line, keys in sorted order:
    /// how a viewer shows a payload whole.
    public var prettyText: String {
        var output = ""
        writePretty(to: &output, indent: "")
        return output
    }

    private func writePretty(to output: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .array(let values) where !values.isEmpty:
            output += "[\n"
            for (index, value) in values.enumerated() {
                output += inner
                value.writePretty(to: &output, indent: inner)
                output += index < values.count - 1 ? ",\n" : "\n"
            }
            output += indent + "]"
        case .object(let members) where !members.isEmpty:
            output += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                output += inner + JSONValue.string(key).jsonText + ": "
                members[key]!.writePretty(to: &output, indent: inner)
                output += index < keys.count - 1 ? ",\n" : "\n"
            }
            output += indent + "}"
        default:
            output += jsonText
        }
    }
}
