import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every operation of the contract against a token that lacks the scope the operation names:
/// 403, and not one row changed. The same request with a token holding only that scope (within
/// the role) passes the scope check, so the test fails if an operation names the wrong scope.
@Suite struct ScopeMatrixTests {
    /// The operations of openapi.yaml with their method, path and the scopes their `security`
    /// requirement names, read line by line.
    struct ContractOperation: Sendable, CustomStringConvertible {
        let id: String
        let method: HTTPRequest.Method
        let path: String
        let scopes: [String]?
        var description: String { id }
    }

    static let operations: [ContractOperation] = {
        let url = PackagePaths.root.appendingPathComponent("openapi.yaml")
        let lines = (try? String(contentsOf: url, encoding: .utf8))?.components(separatedBy: "\n") ?? []
        var operations: [ContractOperation] = []
        var path = ""
        var method = ""
        var id: String?
        var scopes: [String]?
        func flush() {
            if let id, let verb = HTTPRequest.Method(method.uppercased()) {
                operations.append(ContractOperation(id: id, method: verb, path: path, scopes: scopes))
            }
            id = nil
            scopes = nil
        }
        for line in lines {
            if line.hasPrefix("components:") { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                flush()
                path = String(line.dropFirst(2).dropLast())
            } else if let match = line.firstMatch(of: /^    (get|post|patch|put|delete):$/) {
                flush()
                method = String(match.output.1)
            } else if let match = line.firstMatch(of: /^      operationId: (\w+)$/) {
                id = String(match.output.1)
            } else if line == "      security: []" {
                scopes = []
            } else if let match = line.firstMatch(of: /^        - bearerToken: \[(.*)\]$/) {
                scopes = match.output.1.split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
                }
            }
        }
        flush()
        return operations
    }()

    @Test func everyOperationNamesTheScopeThePolicyRequires() {
        #expect(Set(Self.operations.map(\.id)) == Set(APIOperation.allCases.map(\.rawValue)))
        for operation in Self.operations {
            let policy = APIOperation(rawValue: operation.id).flatMap(AccessPolicy.requiredScope)
            #expect(operation.scopes == policy.map { [$0.rawValue] } ?? [], "\(operation.id)")
            #expect((policy == nil) == APIOperation(rawValue: operation.id)?.isPublic, "\(operation.id)")
        }
    }

    static let protected = operations.filter { $0.scopes?.isEmpty == false }

    @Test(arguments: protected)
    func aTokenWithoutTheScopeIsRefusedAndChangesNothing(_ operation: ContractOperation) async throws {
        let scope = try #require(operation.scopes?.first.flatMap(Scope.init))
        try await World.test { world in
            let owner = Self.owner(of: scope, in: world)
            let roles = try await Self.roles(of: owner, in: world)
            let granted = Scope.granted(to: roles)
            #expect(granted.contains(scope), "the fixture's \(roles) should hold \(scope)")
            let without = try await Self.token(for: owner, scopes: granted.subtracting([scope]), in: world)
            let only = try await Self.token(for: owner, scopes: [scope], in: world)
            let path = operation.path.replacingOccurrences(of: "{id}", with: UUID().uuidString.lowercased())
                .replacingOccurrences(of: "{key}", with: "kba").replacingOccurrences(of: "{version}", with: "1")
                .replacingOccurrences(of: "{job_id}", with: "1").replacingOccurrences(of: "{outbox_id}", with: "1")
                .replacingOccurrences(of: "{enrollment_id}", with: UUID().uuidString.lowercased())
                .replacingOccurrences(of: "{session_id}", with: UUID().uuidString.lowercased())
            let body = operation.method == .get ? nil : "{}"
            let headers: HTTPFields =
                operation.method == .patch ? [.contentType: "application/merge-patch+json"] : [:]
            // The first use of a token records it; the fixed clock keeps later uses from changing it.
            _ = try await world.request(.get, "/v1/me", as: without)
            let before = try await world.database.digest()

            let refused = try await world.request(operation.method, path, as: without, body: body, headers: headers)

            #expect(refused.status == .forbidden, "\(operation.id): \(String(buffer: refused.body))")
            #expect(try refused.problem()._type == "https://dossier.example/problems/insufficient-scope")
            #expect(try await world.database.digest() == before, "\(operation.id) changed a row")
            let allowed = try await world.request(operation.method, path, as: only, body: body, headers: headers)
            let problem = allowed.status.code >= 400 ? try allowed.problem()._type : nil
            #expect(problem != "https://dossier.example/problems/insufficient-scope", "\(operation.id)")
        }
    }

    /// A person whose roles bring the scope, so only the token narrows it.
    private static func owner(of scope: Scope, in world: World) -> World.Actor {
        switch scope {
        case .admin, .peopleWrite: world.admin
        case .formsWrite, .peopleRead: world.coordinator
        default: world.trainee
        }
    }

    private static func roles(of actor: World.Actor, in world: World) async throws -> Set<Role> {
        let me = try await world.request(.get, "/v1/me", as: actor).decode(API.Me.self)
        return Set(me.person?.roles.compactMap { Role(rawValue: $0.rawValue) } ?? [])
    }

    private static func token(for actor: World.Actor, scopes: Set<Scope>, in world: World) async throws -> World.Actor {
        let names = scopes.map(\.rawValue).sorted().map { "\"\($0)\"" }.joined(separator: ",")
        let response = try await world.request(
            .post,
            "/v1/tokens",
            as: actor,
            body: #"{"name":"narrowed","scopes":[\#(names)]}"#
        )
        return World.Actor(id: actor.id, token: try response.decode(API.IssuedToken.self).secret)
    }
}
