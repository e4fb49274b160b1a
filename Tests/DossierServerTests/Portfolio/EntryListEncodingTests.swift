import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import DossierServer

/// The entry list is written by `JSONWriter`, not the generated serializer; a client must not be
/// able to tell: the same bytes, headers, `Accept` handling and problems.
@Suite struct EntryListEncodingTests {
    /// Every control character, the characters JSON escapes, a slash, and text beyond ASCII.
    static let awkward: String = {
        var text = ""
        for value in 1..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return text + #"" \ / </script> é ß 中文 😀 "# + "\u{7F}\u{2028}\u{FEFF}"
    }()

    static func entry(_ title: String, comments: [(String, Date)], kind: Entry.Kind = .reflection) -> Entry {
        Entry(
            id: .generate(),
            portfolioID: .generate(),
            kind: kind,
            title: title,
            body: "body \(title)",
            tags: ["a", title, ""],
            activities: [],
            shared: comments.isEmpty,
            comments: comments.map {
                Entry.Comment(id: .generate(), authorID: .generate(), body: $0.0, createdAt: $0.1)
            },
            version: 3,
            createdAt: Date(timeIntervalSince1970: 1_796_000_000.123_456),
            updatedAt: Date(timeIntervalSince1970: 1_796_000_001)
        )
    }

    /// What the generated serializer writes: `Converter`'s encoder with this server's configuration.
    static func generated(_ entries: [Entry], nextCursor: String?) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try RFC3339DateTranscoder().encode(date))
        }
        let list = API.EntryList(
            items: entries.map(API.Entry.init),
            nextCursor: nextCursor
        )
        return Array(try encoder.encode(list))
    }

    @Test(arguments: [nil, "c_ursor-/+="])
    func theWriterWritesWhatJSONEncoderWrites(nextCursor: String?) throws {
        let lists: [[Entry]] = [
            [],
            [Self.entry("plain", comments: [])],
            Entry.Kind.allCases.map { Self.entry("\($0)", comments: [], kind: $0) },
            [
                Self.entry(Self.awkward, comments: [(Self.awkward, Date(timeIntervalSince1970: 0.5))]),
                Self.entry(
                    "two comments",
                    comments: [("", Date(timeIntervalSince1970: 1_796_000_000.999_9)), ("b", .distantFuture)]
                ),
            ],
        ]
        for entries in lists {
            let written = JSONWriter.entryList(entries, nextCursor: nextCursor)
            let expected = try Self.generated(entries, nextCursor: nextCursor)
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        }
    }

    @Test func aListedEntryIsTheBytesOfTheGeneratedSingleEntry() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let text = try String(decoding: JSONEncoder().encode(Self.awkward), as: UTF8.self)
            // Titles and tags refuse control characters; bodies and comments take any text.
            let created = try await world.request(
                .post,
                "/v1/portfolios/\(portfolio)/entries",
                as: world.trainee,
                body: #"{"kind":"case","title":"\"/é😀","body":\#(text),"tags":["a/b"],"shared":true}"#
            ).decode(API.Entry.self)
            let commented = try await world.request(
                .post,
                "/v1/entries/\(created.id)/comments",
                as: world.trainer,
                body: #"{"body":\#(text)}"#
            )
            let list = try await world.request(.get, "/v1/portfolios/\(portfolio)/entries", as: world.trainer)
            let single = try await world.request(.get, "/v1/entries/\(created.id)", as: world.trainer)

            #expect(commented.status == .created)
            #expect(list.status == .ok)
            #expect(String(buffer: list.body) == #"{"items":["# + String(buffer: single.body) + "]}")
            #expect(list.headers[.contentType] == single.headers[.contentType])
            #expect(list.headers[.contentLength] == String(list.body.readableBytes))
        }
    }

    @Test(arguments: ["application/json", "application/*;q=0.5", "text/html, */*;q=0.1", "APPLICATION/JSON"])
    func anAcceptThatAllowsJSONIsAnswered(accept: String) async throws {
        try await World.test { world in
            let response = try await world.request(
                .get,
                "/v1/portfolios/\(try await world.portfolio())/entries",
                as: world.trainer,
                headers: [.accept: accept]
            )
            #expect(response.status == .ok)
        }
    }

    @Test func anAcceptThatRulesOutJSONIs406AndReadsNothing() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            _ = try await world.sharedEntry()
            let before = try await world.accessLogRows(about: world.trainee.id).count
            let response = try await world.request(
                .get,
                "/v1/portfolios/\(portfolio)/entries",
                as: world.trainer,
                headers: [.accept: "text/html, application/xml;q=0.9"]
            )
            let problem = try response.problem()
            let after = try await world.accessLogRows(about: world.trainee.id).count

            #expect(response.status == .notAcceptable)
            #expect(problem._type.hasSuffix("/not-acceptable"))
            #expect(
                problem.detail
                    == "This response is application/json; the Accept header allows only text/html, application/xml."
            )
            #expect(after == before)
        }
    }

    @Test func badParametersAreTheContractsProblems() async throws {
        try await World.test { world in
            let portfolio = try await world.portfolio()
            let limit = try await world.request(
                .get,
                "/v1/portfolios/\(portfolio)/entries?limit=abc&cursor=%00",
                as: world.trainer
            )
            let unknown = try await world.request(.get, "/v1/portfolios/not-a-uuid/entries", as: world.trainer)
            let anonymous = try await world.request(.get, "/v1/portfolios/\(portfolio)/entries", as: nil)

            #expect(limit.status == .unprocessableContent)
            #expect(try limit.problem().errors?.map(\.pointer) == ["#/query/cursor", "#/query/limit"])
            #expect(unknown.status == .notFound)
            #expect(anonymous.status == .unauthorized)
        }
    }
}
