import DossierCore
import DossierTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What only a real socket shows: oversized headers and a client that never finishes sending them.
@Suite struct LiveConnectionTests {
    /// Runs a Python client against `port` and returns what it printed.
    static func python(_ script: String, _ port: String) throws -> String {
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        client.arguments = ["python3", "-c", script, port]
        let output = Pipe()
        client.standardOutput = output
        try client.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        client.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func oversizedHeadersGet431AsAProblemAndSlowHeadersAreCutOff() async throws {
        try await TestDatabase.withMigrated { database in
            let server = try DossierProcess(
                ["serve"],
                environment: [
                    "DATABASE_URL": database.appURL.text, "DOSSIER_SECRET_KEY": Fixture.secretKey, "HTTP_PORT": "0",
                    "LOG_FORMAT": "text", "MIGRATIONS_DIR": PackagePaths.migrations, "HTTP_HEADER_TIMEOUT_SECONDS": "1",
                ]
            )
            defer { server.send(SIGTERM) }
            let output = try await server.waitForOutput(containing: "listening on 127.0.0.1:")
            let port = String(try #require(output.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/)?.output.1))

            let oversized = try Self.python(
                """
                import socket, sys
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(b"GET /v1/health HTTP/1.1\\r\\nHost: x\\r\\nX-Big: " + b"a" * (100 << 10) + b"\\r\\n\\r\\n")
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk: break
                    data += chunk
                print(data.decode())
                """,
                port
            )
            let slow = try Self.python(
                """
                import socket, sys, time
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.settimeout(5)
                s.sendall(b"GET /v1/health HTTP/1.1\\r\\nHost: x\\r\\n")
                start = time.monotonic()
                closed = s.recv(1) == b""
                print("closed" if closed else "open", round(time.monotonic() - start))
                """,
                port
            )

            #expect(oversized.hasPrefix("HTTP/1.1 431"), "\(oversized.prefix(200))")
            #expect(oversized.lowercased().contains("content-type: application/problem+json"))
            #expect(oversized.lowercased().contains("x-request-id: "))
            #expect(oversized.contains(#""type":"https://dossier.example/problems/request-header-fields-too-large""#))
            #expect(slow == "closed 1\n")
            let (_, health) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/v1/health")!)
            #expect((health as? HTTPURLResponse)?.statusCode == 200)
        }
    }
}
