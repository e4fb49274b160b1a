/// Who may grant and remove which roles. The admin and coordinator roles reach other people's
/// data or run the system, so only an admin person grants or removes them, on every path
/// (create, PATCH, import); a feed from the source system sets the other roles.
public enum RoleGrants {
    public static let privileged: Set<Role> = [.admin, .coordinator]

    /// Nil when `caller` may turn `old` into `new`; otherwise what was refused, at `pointer`.
    /// `caller` nil is the operator on the server's shell, who may do anything.
    static func refusal(from old: Set<Role>, to new: Set<Role>, caller: Caller?, pointer: String) -> FieldError? {
        if caller == nil || caller?.has(.admin) == true { return nil }
        let granted = new.intersection(privileged).subtracting(old)
        let removed = old.intersection(privileged).subtracting(new)
        guard let role = (granted.union(removed)).sorted().first else { return nil }
        let verb = granted.contains(role) ? "grant" : "remove"
        return FieldError(pointer, "only an admin may \(verb) the \(role.rawValue) role")
    }

    /// The 403 for every refused grant of one request.
    static func forbidden(_ refusals: [FieldError]) -> DossierError {
        DossierError(
            .forbidden,
            slug: .roleGrantForbidden,
            detail: "Only an admin may grant or remove the admin and coordinator roles.",
            fieldErrors: refusals
        )
    }
}
