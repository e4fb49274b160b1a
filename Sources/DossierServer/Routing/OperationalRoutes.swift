import DossierAPI
import Hummingbird

/// Routes outside the versioned API: the Prometheus scrape and the contract itself.
enum OperationalRoutes {
    static func register(on router: Router<DossierRequestContext>, routes: RouteTable, metrics: HTTPMetrics) {
        routes.add(.get, "/metrics")
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer()))
            )
        }
        routes.add(.get, "/openapi.yaml")
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: openAPIDocument))
            )
        }
    }
}
