import DossierCore
import HTTPTypes
import OpenAPIRuntime

/// `Idempotency-Key` on creating POSTs (design.md section 3), after authentication so keys are
/// scoped to the caller.
struct IdempotencyMiddleware: ServerMiddleware {
    let store: IdempotencyService
    let maximumBodyBytes: Int

    static let creating: Set<APIOperation> = [
        .createPerson, .createGroup, .createSupervision, .createToken, .createServiceClient, .createServiceClientToken,
        .createEntry, .createForm, .createFormVersion, .createAssessment, .createAssessmentInvitation,
        .createProgressReview, .amendProgressReview, .createRetentionPolicyVersion, .createLegalHold,
        .createRetentionRun, .createEvaluation, .createEvaluationFollowUp, .createIpoActivity, .createIpoEnrollment,
    ]
    /// Their responses carry a secret, which is never stored.
    static let secretBearing: Set<APIOperation> = [
        .createToken, .createServiceClientToken, .createAssessmentInvitation,
    ]

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let operation = APIOperation(rawValue: operationID), Self.creating.contains(operation),
            let value = request.headerFields[.idempotencyKey], let caller = RequestScope.caller
        else { return try await next(request, body, metadata) }
        let path = request.path ?? ""
        let key = try IdempotencyKey(
            principal: caller.principalKey,
            method: request.method.rawValue,
            path: path,
            value: value
        )
        let bytes = try await Self.collect(body, upTo: maximumBodyBytes)
        switch try await store.start(
            key,
            requestHash: IdempotencyService.hash(method: request.method.rawValue, path: path, body: bytes)
        ) {
        case .replay(let status, let headers, let stored):
            var response = HTTPResponse(status: .init(code: status))
            for (name, value) in headers {
                if let name = HTTPField.Name(name) { response.headerFields[name] = value }
            }
            response.headerFields[.idempotencyReplayed] = "true"
            return (response, HTTPBody(stored))
        case .proceed:
            do {
                let (response, responseBody) = try await next(request, HTTPBody(bytes), metadata)
                let output = try await Self.collect(responseBody, upTo: 16 << 20)
                var headers: [String: String] = [:]
                for field in response.headerFields { headers[field.name.canonicalName] = field.value }
                for field in ResponseHeaderSink.current?.snapshot ?? [:] {
                    headers[field.name.canonicalName] = field.value
                }
                try await store.finish(
                    key,
                    status: Int(response.status.code),
                    headers: headers,
                    body: Self.secretBearing.contains(operation) ? nil : output
                )
                return (response, HTTPBody(output))
            } catch {
                try? await store.abandon(key)
                throw error
            }
        }
    }
}

extension IdempotencyMiddleware {
    static func collect(_ body: HTTPBody?, upTo limit: Int) async throws -> [UInt8] {
        guard let body else { return [] }
        return try await [UInt8](collecting: body, upTo: limit)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotencyReplayed = HTTPField.Name("Idempotency-Replayed")!
}
