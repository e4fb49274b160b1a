/// The changes a merge patch of an entry asks for; nothing of an entry can be cleared.
public struct EntryPatch: Sendable {
    public var kind: PatchField<String> = .absent
    public var title: PatchField<String> = .absent
    public var body: PatchField<String> = .absent
    public var tags: PatchField<[String]> = .absent
    public var activities: PatchField<[String]> = .absent
    public var shared: PatchField<Bool> = .absent
    /// Pointers of server-owned fields the client tried to set.
    public var serverOwned: [String] = []

    public init() {}

    /// The entry's fields with the patch applied, validated like a new entry.
    func apply(to entry: Entry) throws(DossierError) -> (EntryRules.Input, Entry.Kind, String) {
        var errors = serverOwned.map { FieldError($0, "is set by the server and cannot be changed") }
        func take<T>(_ field: PatchField<T>, _ current: T, _ pointer: String) -> T {
            switch field {
            case .absent: return current
            case .null:
                errors.append(FieldError(pointer, "cannot be cleared"))
                return current
            case .value(let value): return value
            }
        }
        let input = EntryRules.Input(
            kind: take(kind, entry.kind.rawValue, "/kind"),
            title: take(title, entry.title, "/title"),
            body: take(body, entry.body, "/body"),
            tags: take(tags, entry.tags, "/tags"),
            activities: take(activities, entry.activities, "/activities"),
            shared: take(shared, entry.shared, "/shared")
        )
        let validated: (Entry.Kind, String)
        do {
            validated = try EntryRules.validate(input)
        } catch {
            throw .validation(errors + error.fieldErrors)
        }
        guard errors.isEmpty else { throw .validation(errors) }
        return (input, validated.0, validated.1)
    }
}
