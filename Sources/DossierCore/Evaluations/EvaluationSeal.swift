import Crypto
import Foundation

/// One anonymous response as it waits in the inbox: its answers sealed with AES-GCM under a key
/// derived from `DOSSIER_SECRET_KEY`, which the database never holds, so the one row whose
/// `xmin` still matches the respondent's assignment cannot be read from the database alone. The
/// evaluation's id is authenticated with it: a row moved to another evaluation does not open.
struct EvaluationSeal: Sendable {
    struct Response: Codable, Sendable {
        let answers: [String: JSONValue]
        let showTextIfAlone: Bool
    }

    private let key: SymmetricKey

    init(secretKey: SecretKey) {
        key = secretKey.subkey(for: "evaluation-inbox")
    }

    func seal(_ response: Response, for evaluation: Evaluation.ID) throws -> Data {
        let plain = try JSONEncoder().encode(response)
        guard let combined = try AES.GCM.seal(plain, using: key, authenticating: Self.context(evaluation)).combined
        else { throw CryptoKitError.incorrectParameterSize }
        return combined
    }

    func open(_ sealed: Data, for evaluation: Evaluation.ID) throws -> Response {
        let box = try AES.GCM.SealedBox(combined: sealed)
        let plain = try AES.GCM.open(box, using: key, authenticating: Self.context(evaluation))
        return try JSONDecoder().decode(Response.self, from: plain)
    }

    private static func context(_ evaluation: Evaluation.ID) -> Data { Data(evaluation.description.utf8) }
}
