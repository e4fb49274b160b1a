import DossierCore
import DossierTestSupport
import Foundation
import PostgresNIO
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Uploads against the real binary on a real socket, where a client can vanish mid-body.
@Suite struct LiveUploadTests {
    @Test func aClientThatDisconnectsMidUploadLeavesNoAttachmentAndNoChunkBehind() async throws {
        try await TestDatabase.withMigrated { database in
            let environment = ["DATABASE_URL": database.appURL.text]
            let csv = FileManager.default.temporaryDirectory.appendingPathComponent("trainee-\(UUID().uuidString).csv")
            try Data(
                ("name,email,roles,start_date,expected_end_date,training_year,site,group_id\n"
                    + "Anna,anna@dossier.test,trainee,2025-03-01,2028-03-01,2,leiden,\n").utf8
            ).write(to: csv)
            #expect(
                try await DossierProcess(["import", "people", csv.path], environment: environment).waitForExit() == 0
            )
            let issue = try DossierProcess(
                ["token", "create", "--email", "anna@dossier.test", "--role", "trainee"],
                environment: environment
            )
            #expect(try await issue.waitForExit() == 0)
            let token = issue.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            let server = try DossierProcess(
                ["serve"],
                environment: environment.merging([
                    "DOSSIER_SECRET_KEY": Fixture.secretKey, "HTTP_PORT": "0", "LOG_FORMAT": "text",
                    "MIGRATIONS_DIR": PackagePaths.migrations,
                ]) { $1 }
            )
            defer { server.send(SIGTERM) }
            let output = try await server.waitForOutput(containing: "listening on 127.0.0.1:")
            let port = try #require(output.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.output.1)
            let api = "http://127.0.0.1:\(port)"
            func call(_ method: String, _ path: String, _ body: String? = nil) async throws -> [String: Any] {
                var request = URLRequest(url: URL(string: api + path)!)
                request.httpMethod = method
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                if let body {
                    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                    request.httpBody = Data(body.utf8)
                }
                let (data, _) = try await URLSession.shared.data(for: request)
                return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            }
            let me = try await call("GET", "/v1/me")
            let person = try #require((me["person"] as? [String: Any])?["id"] as? String)
            let portfolio = try #require(try await call("GET", "/v1/people/\(person)/portfolio")["id"] as? String)
            let entry = try #require(
                try await call(
                    "POST",
                    "/v1/portfolios/\(portfolio)/entries",
                    #"{"kind":"case","title":"Video","body":"","shared":true}"#
                )["id"] as? String
            )

            // Announce 8 MiB, send a PNG header and 3 MiB, then hang up.
            let client = Process()
            client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            client.arguments = [
                "python3", "-c",
                """
                import socket, sys
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall((f"POST /v1/entries/{sys.argv[2]}/attachments?file_name=scan.png HTTP/1.1\\r\\n"
                           f"Host: x\\r\\nAuthorization: Bearer {sys.argv[3]}\\r\\nContent-Type: image/png\\r\\n"
                           f"Content-Length: {8 << 20}\\r\\n\\r\\n").encode())
                s.sendall(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(3 << 20))
                s.close()
                """,
                String(port), entry, token,
            ]
            try client.run()
            client.waitUntilExit()
            #expect(client.terminationStatus == 0)
            try await server.waitForOutput(containing: "route=/v1/entries/{id}/attachments")

            let counts = try await database.withOwnerClient { client in
                try await client.query(
                    "SELECT (SELECT count(*) FROM attachments)::int, (SELECT count(*) FROM attachment_chunks)::int"
                ).collect().first?.decode((Int, Int).self)
            }
            #expect(counts?.0 == 0 && counts?.1 == 0)
            let (_, health) = try await URLSession.shared.data(from: URL(string: api + "/v1/health")!)
            #expect((health as? HTTPURLResponse)?.statusCode == 200)
        }
    }
}
