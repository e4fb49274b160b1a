import DossierCore
import Testing

@Suite struct DatabaseURLTests {
    @Test func aTCPURLWithPasswordAndPortIsParsed() throws {
        let url = try DatabaseURL(parsing: "postgresql://app:s%40cret@db.internal:6543/dossier")

        #expect(url.endpoint == .tcp(host: "db.internal", port: 6543))
        #expect(url.username == "app")
        #expect(url.password == "s@cret")
        #expect(url.database == "dossier")
        #expect(url.tlsMode == .verifyFull)
        #expect(!url.redacted.contains("cret"))
    }

    @Test func aSocketDirectoryInTheQueryMeansAUnixSocket() throws {
        let url = try DatabaseURL(parsing: "postgres://dossier_app@localhost:5433/dossier?host=/var/tmp/pg")

        #expect(url.endpoint == .unixSocket(path: "/var/tmp/pg/.s.PGSQL.5433"))
        #expect(url.tlsMode == .disable)
    }

    @Test func loopbackDefaultsToNoTLSAndSSLModeIsHonoured() throws {
        #expect(try DatabaseURL(parsing: "postgres://a@127.0.0.1/d").tlsMode == .disable)
        #expect(try DatabaseURL(parsing: "postgres://a@db/d?sslmode=require").tlsMode == .require)
    }

    @Test(arguments: [
        ("mysql://a@h/d", "must start with postgres:// or postgresql://"),
        ("postgres://h/d", "names no user (postgres://USER@host/database)"),
        ("postgres://a@h/", "names no database (postgres://user@host/DATABASE)"),
        ("postgres://a@h/d?sslmode=maybe", "has sslmode=maybe; use one of disable, prefer, require, verify-full"),
        ("not a url", "is not a URL of the form postgres://user@host:port/database"),
    ])
    func malformedURLsAreRejectedWithTheReason(text: String, reason: String) {
        let error = #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: text) }

        #expect(error == .malformed(reason))
    }

    @Test func theErrorNeverContainsThePassword() {
        let error = #expect(throws: DatabaseURLError.self) {
            try DatabaseURL(parsing: "postgres://a:topsecret@h/d?sslmode=bogus")
        }

        #expect(error?.description.contains("topsecret") == false)
    }
}
