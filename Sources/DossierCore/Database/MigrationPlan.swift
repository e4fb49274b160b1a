/// Compares the migrations this build ships with those the database has applied: what is
/// pending, or why the two cannot be reconciled. Pure, so every case is tested without a database.
public struct MigrationPlan: Sendable, Equatable {
    public let known: [Migration]
    public let applied: [AppliedMigration]
    public let pending: [Migration]

    public init(known: [Migration], applied: [AppliedMigration]) throws(MigrationError) {
        let knownByName = Dictionary(uniqueKeysWithValues: known.map { ($0.name, $0) })
        let unknown = applied.filter { knownByName[$0.name] == nil }.map(\.name)
        guard unknown.isEmpty else { throw .unknownToThisBuild(unknown) }
        for record in applied where knownByName[record.name]?.checksum != record.checksum {
            throw .changedAfterApplying(record.name)
        }
        let appliedNames = Set(applied.map(\.name))
        let pending = known.filter { !appliedNames.contains($0.name) }
        if let newest = applied.max(by: { $0.version < $1.version }),
            let early = pending.first(where: { $0.version < newest.version })
        {
            throw .addedBeforeApplied(early.name, newestApplied: newest.name)
        }
        self.known = known
        self.applied = applied
        self.pending = pending
    }

    public var isCurrent: Bool { pending.isEmpty }

    public var latestApplied: String? { applied.max(by: { $0.version < $1.version })?.name }
}
