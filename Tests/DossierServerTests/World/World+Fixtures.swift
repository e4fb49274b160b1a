import DossierAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Request bodies and headers that several suites send.
enum Fixture {
    /// A small valid PNG head, enough for the type to be sniffed.
    static let png: [UInt8] =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7) }
    static let combel =
        #"{"competencies":{"medical_expertise":3,"communication":4,"collaboration":3,"knowledge_and_science":2,"social_accountability":3,"organisation":3,"professionalism":4},"development_points":"Meer structuur in het consult."}"#
    static let kba = #"{"activity":"chronic_care","entrustment":3,"observation":"DM-controle zelfstandig."}"#
    static let review =
        #"{"participants":["trainee","trainer","teacher"],"progress":{"medical_expertise":3,"communication":3,"collaboration":3,"knowledge_and_science":3,"social_accountability":3,"organisation":3,"professionalism":3},"learning_goals":"Palliatieve zorg."}"#
    static let peopleCSVHeader = "name,email,roles,start_date,expected_end_date,training_year,site,group_id\n"
    static let csvType: HTTPFields = [.contentType: "text/csv"]
    static let mergePatch: HTTPFields = [.contentType: "application/merge-patch+json"]

    static func mergePatch(ifMatch: String) -> HTTPFields {
        [.contentType: "application/merge-patch+json", .ifMatch: ifMatch]
    }

    /// `DOSSIER_SECRET_KEY` of the binaries the process tests start.
    static let secretKey = Data(repeating: 1, count: 32).base64EncodedString()
}

/// The trainee's portfolio and what suites put in it before the behaviour they test.
extension World {
    func portfolio() async throws -> String {
        try await request(.get, "/v1/people/\(trainee.id)/portfolio", as: trainee).decode(API.Portfolio.self).id
    }

    /// A shared entry of the trainee's, which supervisors see and files attach to.
    func sharedEntry() async throws -> String {
        try await request(
            .post,
            "/v1/portfolios/\(try await portfolio())/entries",
            as: trainee,
            body: #"{"kind":"case","title":"Opname","body":"zie bijlage","shared":true}"#
        ).decode(API.Entry.self).id
    }

    func upload(
        entry: String,
        bytes: [UInt8],
        type: String,
        name: String = "scan.png",
        as actor: Actor? = nil,
        announceLength: Bool = true
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: type, .authorization: "Bearer \((actor ?? trainee).token)"]
        if announceLength { headers[.contentLength] = String(bytes.count) }
        return try await client.execute(
            uri: "/v1/entries/\(entry)/attachments?file_name=\(name)",
            method: .post,
            headers: headers,
            body: ByteBuffer(bytes: bytes)
        )
    }

    /// A progress review by the trainer, not yet signed.
    func progressReview(_ portfolio: String, heldOn: String = "2025-06-03") async throws -> TestResponse {
        try await request(
            .post,
            "/v1/portfolios/\(portfolio)/progress-reviews",
            as: trainer,
            body: #"{"kind":"review","held_on":"\#(heldOn)","answers":\#(Fixture.review),"summary":"Op koers."}"#
        )
    }
}
