import PostgresNIO

extension PostgresRowSequence {
    /// Whether the query returned any row: for existence checks and `... RETURNING` / `FOR UPDATE
    /// SKIP LOCKED` statements whose only answer is "did it happen".
    func hasRow() async throws -> Bool {
        for try await _ in self { return true }
        return false
    }
}
