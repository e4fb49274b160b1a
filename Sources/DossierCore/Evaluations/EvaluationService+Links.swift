import Foundation

/// Personal response links: a trainee answers from a mail without signing in. The link is the
/// credential (never a bearer token): opaque, bound to one assignment, good for one response
/// until the evaluation closes; only its SHA-256 is stored.
extension EvaluationService {
    public static let linkPrefix = "evl_"

    /// A new link for the caller's own assignment, replacing any earlier one; the token exists
    /// only in this return value.
    public func issueLink(for id: Evaluation.ID, caller: Caller) async throws -> (token: String, expiresAt: Date) {
        _ = try AccessPolicy.decide(.createEvaluationLink, caller: caller).rule(or: "evaluation")
        guard let person = caller.personID else { throw DossierError.notFound("evaluation") }
        let now = clock.now()
        let token = TokenSecret.generate(prefix: Self.linkPrefix)
        return try await database.transaction { connection in
            guard let evaluation = try await evaluations.find(id, on: connection) else {
                throw DossierError.notFound("evaluation")
            }
            let assignment = try await evaluations.assignment(id, person: person, on: connection)
            guard assignment.assigned else { throw DossierError.notFound("evaluation") }
            guard assignment.answeredOn == nil else { throw Self.answered }
            // An upcoming evaluation gets its link for the mail; a closed one is refused, naming its window.
            if evaluation.state(at: now) == .closed { try evaluation.requireOpen(at: now) }
            try await evaluations.setLink(TokenSecret.hash(token), for: id, person: person, on: connection)
            return (token, evaluation.closesAt)
        }
    }

    /// What a link asks its holder to fill in.
    public struct LinkView: Sendable {
        public let evaluation: Evaluation
        public let version: FormVersion
    }

    public func view(link token: String) async throws -> LinkView {
        let now = clock.now()
        return try await database.read { connection in
            let (evaluation, _) = try await open(link: token, at: now, on: connection)
            guard
                let version = try await formVersions.version(evaluation.formKey, evaluation.formVersion, on: connection)
            else { throw DossierError.notFound("evaluation link") }
            return LinkView(evaluation: evaluation, version: version)
        }
    }

    /// The one response a link allows, as its assignment's person.
    public func respond(
        link token: String,
        answers: [String: JSONValue],
        showTextIfAlone: Bool
    ) async throws -> Assignment {
        let now = clock.now()
        return try await database.transaction { connection in
            let (evaluation, person) = try await open(link: token, at: now, on: connection)
            do {
                return try await answer(evaluation, as: person, answers, showTextIfAlone, now: now, on: connection)
            } catch let error as DossierError where error.slug == .evaluationAnswered {
                throw Self.linkUsed
            }
        }
    }

    /// The evaluation and person behind an open link: 404 when malformed or unknown (a tampered
    /// link), 410 when its response was given or the evaluation has closed.
    private func open(
        link token: String,
        at now: Date,
        on connection: DatabaseConnection
    ) async throws -> (Evaluation, PersonID) {
        guard TokenSecret.isWellFormed(token, prefix: Self.linkPrefix),
            let assignment = try await evaluations.assignment(linkHash: TokenSecret.hash(token), on: connection),
            let evaluation = try await evaluations.find(assignment.evaluation, on: connection)
        else { throw DossierError.notFound("evaluation link") }
        guard !assignment.answered else { throw Self.linkUsed }
        guard evaluation.state(at: now) != .closed else {
            throw DossierError(
                .gone,
                slug: .evaluationLinkExpired,
                detail: "This link expired when the evaluation closed at \(RFC3339.string(from: evaluation.closesAt))."
            )
        }
        return (evaluation, assignment.person)
    }

    private static let linkUsed = DossierError(
        .gone,
        slug: .evaluationLinkUsed,
        detail: "This link has been used: the evaluation it was for has your response."
    )
}
