import Foundation

/// A form, named by a stable key (`combel-y1`, `progress-review`), whose questions live in
/// numbered versions.
public struct Form: Sendable, Equatable {
    /// What a form is filled in for; a progress review can only be recorded on a review form.
    public enum Purpose: String, Sendable, CaseIterable {
        case assessment
        case progressReview = "progress_review"
        case progressAdvice = "progress_advice"
        case progressDecision = "progress_decision"
        case evaluation
    }

    public let key: String
    public let title: String
    public let purpose: Purpose
    /// The version responses are filled in on by default; nil until one reaches production.
    public let productionVersion: Int?
    public let latestVersion: Int?
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        key: String,
        title: String,
        purpose: Purpose,
        productionVersion: Int?,
        latestVersion: Int?,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.key = key
        self.title = title
        self.purpose = purpose
        self.productionVersion = productionVersion
        self.latestVersion = latestVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public static func validate(key: String, title: String, purpose: String) throws(DossierError) -> Purpose {
        var errors: [FieldError] = []
        if !FormDefinitionRules.isKey(key, first: "abcdefghijklmnopqrstuvwxyz") || key.contains("_") {
            errors.append(FieldError("/key", "must be 1-64 of a-z, 0-9 and -, starting with a letter"))
        }
        if !(1...200).contains(title.trimmingCharacters(in: .whitespacesAndNewlines).count) {
            errors.append(FieldError("/title", "must be 1-200 characters"))
        }
        let parsed = Purpose(rawValue: purpose)
        if parsed == nil {
            errors.append(
                FieldError("/purpose", "must be one of \(Purpose.allCases.map(\.rawValue).joined(separator: ", "))")
            )
        }
        guard errors.isEmpty, let parsed else { throw .validation(errors) }
        return parsed
    }
}

/// One numbered version of a form's questions and where it stands in its life cycle.
public struct FormVersion: Sendable, Equatable {
    /// Domain rule 2: a new version is tested before it goes into production; one production
    /// version per form at a time; a retired version takes no new responses.
    public enum Status: String, Sendable, CaseIterable {
        case draft, testing, production, retired

        /// The statuses a version may move to from this one. Only a draft is edited, so a version
        /// that may hold responses never changes; abandoning a test means retiring it.
        public var next: Set<Status> {
            switch self {
            case .draft: [.testing]
            case .testing: [.production, .retired]
            case .production: [.retired]
            case .retired: []
            }
        }

        /// Whether responses may be filled in on a version in this status.
        public var acceptsResponses: Bool { self == .testing || self == .production }
    }

    public let formKey: String
    public let version: Int
    public let status: Status
    public let definition: FormDefinition
    /// Shipped as an example, to be replaced by the institute's own items.
    public let example: Bool
    public let notes: String?
    public let responseCount: Int
    public let revision: Int
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        formKey: String,
        version: Int,
        status: Status,
        definition: FormDefinition,
        example: Bool,
        notes: String?,
        responseCount: Int,
        revision: Int,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.formKey = formKey
        self.version = version
        self.status = status
        self.definition = definition
        self.example = example
        self.notes = notes
        self.responseCount = responseCount
        self.revision = revision
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var etag: String { "\"\(formKey)-\(version)-\(revision)\"" }

    /// Whether a response on this version is a test (on a testing version, never counted);
    /// refused unless the version is in testing or production.
    public func acceptResponse(pointer: String = "/form_version") throws(DossierError) -> Bool {
        guard status.acceptsResponses else {
            throw DossierError.validation([
                FieldError(pointer, "version \(version) of \(formKey) is \(status.rawValue) and takes no responses")
            ])
        }
        return status == .testing
    }
}
