import DossierCore
import Foundation
import Hummingbird
import Logging

/// The worker's own small HTTP port: `/health` (the process is alive), `/ready` (the database
/// answers and its schema is this build's) and `/metrics` (Prometheus text).
public enum WorkerHTTP {
    public static func build(
        host: String,
        port: Int,
        database: Database,
        migrations: [Migration],
        metrics: WorkerMetrics,
        logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        let probe = ReadinessProbe(client: database.client, migrations: migrations, logger: logger)
        let queue = JobQueue()
        router.get("/health") { _, _ in json(.ok, #"{"status":"ok"}"#) }
        router.get("/ready") { _, _ in
            switch await probe.check() {
            case .ready: return json(.ok, #"{"status":"ready"}"#)
            case .notReady(let reason):
                let body = (try? JSONEncoder().encode(["status": "not_ready", "reason": reason])) ?? Data()
                return json(.serviceUnavailable, String(decoding: body, as: UTF8.self))
            }
        }
        router.get("/metrics") { _, _ in
            let snapshot = try await database.read { try await queue.snapshot(on: $0) }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.scrape(snapshot)))
            )
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "dossier-worker"),
            logger: logger
        )
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}
