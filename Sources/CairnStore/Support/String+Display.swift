extension String {
    /// The string cut to at most `limit` characters, ending with "…" when cut.
    public func truncatedForDisplay(_ limit: Int) -> String {
        guard count > limit else { return self }
        return String(prefix(max(0, limit - 1))) + "…"
    }
}
