import DossierAPI
import DossierCore
import DossierTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import DossierServer

@Suite struct ObservabilityTests {
    @Test func aSaneRequestIDIsEchoedAndAnInsaneOneReplaced() async throws {
        try await TestApp.testConventions { client in
            let sane = try await client.execute(
                uri: "/v1/nope",
                method: .get,
                headers: [.requestID: "trace-01:abc.DEF_9"]
            )
            let forged = try await client.execute(
                uri: "/v1/nope",
                method: .get,
                headers: [.requestID: "x\u{7f}injected log line"]
            )
            let long = try await client.execute(
                uri: "/v1/nope",
                method: .get,
                headers: [.requestID: String(repeating: "a", count: 129)]
            )

            #expect(sane.headers[.requestID] == "trace-01:abc.DEF_9")
            #expect(forged.headers[.requestID]?.count == 36)
            #expect(long.headers[.requestID]?.count == 36)
        }
    }

    @Test func metricsCountRequestsPerRouteTemplateAndStatus() async throws {
        try await TestApp.testConventions { client in
            _ = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"a"}"#)
            )
            _ = try await client.execute(
                uri: "/v1/echoes",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{")
            )
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

@Suite struct RequestLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func eachRequestLogsOneLineWithTemplateStatusDurationAndIDButNeverTheBody() async throws {
        let output = Lines()
        let logger = Logger(label: "dossier.api") { label in
            JSONLogHandler(label: label, level: .info) { line in output.lines.withLock { $0.append(line) } }
        }

        try await TestApp.testConventions(logger: logger) { client in
            _ = try await client.execute(
                uri: "/v1/echoes?secret=query-marker",
                method: .post,
                headers: [.contentType: "application/json", .requestID: "log-1"],
                body: ByteBuffer(string: #"{"name":"body-marker"}"#)
            )
        }

        let requestLines = output.all.filter { $0.contains(#""msg":"request""#) }
        #expect(requestLines.count == 1)
        let line = try #require(requestLines.first)
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["method"] as? String == "POST")
        #expect(object["route"] as? String == "/v1/echoes")
        #expect(object["status"] as? String == "201")
        #expect(object["request_id"] as? String == "log-1")
        #expect(object["duration_ms"] != nil)
        #expect(!output.all.contains { $0.contains("body-marker") || $0.contains("query-marker") })
    }
}
