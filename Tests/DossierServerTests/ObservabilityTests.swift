import DossierAPI
import DossierTestSupport
@testable import DossierServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ObservabilityTests {
    @Test func aSaneRequestIDIsEchoedAndAnInsaneOneReplaced() async throws {
        try await TestApp.testConventions { client in
            let sane = try await client.execute(uri: "/v1/nope", method: .get, headers: [.requestID: "trace-01:abc.DEF_9"])
            let forged = try await client.execute(uri: "/v1/nope", method: .get, headers: [.requestID: "x\u{7f}injected log line"])
            let long = try await client.execute(uri: "/v1/nope", method: .get, headers: [.requestID: String(repeating: "a", count: 129)])

            #expect(sane.headers[.requestID] == "trace-01:abc.DEF_9")
            #expect(forged.headers[.requestID]?.count == 36)
            #expect(long.headers[.requestID]?.count == 36)
        }
    }

    @Test func metricsCountRequestsPerRouteTemplateAndStatus() async throws {
        try await TestApp.testConventions { client in
            _ = try await client.execute(uri: "/v1/echoes", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"name":"a"}"#))
            _ = try await client.execute(uri: "/v1/echoes", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{"))
            _ = try await client.execute(uri: "/v1/random/\(UUID())", method: .get)

            let response = try await client.execute(uri: "/metrics", method: .get)

            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            #expect(text.contains(#"http_requests_total{method="POST",route="/v1/echoes",status="201"} 1"#))
            #expect(text.contains(#"http_requests_total{method="POST",route="/v1/echoes",status="400"} 1"#))
            #expect(text.contains(#"http_requests_total{method="GET",route="unmatched",status="404"} 1"#))
            #expect(text.contains(#"http_request_duration_seconds_count{method="POST",route="/v1/echoes"} 2"#))
        }
    }

    @Test func theContractIsServedAndMatchesTheGeneratedCode() async throws {
        let file = try String(contentsOf: PackagePaths.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)

        // Fails when openapi.yaml changed without `make generate`: the embedded copy is written
        // by the same run that regenerates Sources/DossierAPI.
        #expect(openAPIDocument == file, "openapi.yaml changed without regenerating: run `make generate`")

        try await TestApp.testConventions { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)

            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/yaml; charset=utf-8")
            #expect(String(buffer: response.body) == file)
        }
    }
}
