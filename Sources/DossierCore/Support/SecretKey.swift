import Crypto
import Foundation

/// The server's one secret (`DOSSIER_SECRET_KEY`). Every use derives its own subkey with HKDF, so
/// a leaked subkey (say, the cursor key) reveals nothing about the others (say, the log pepper).
public struct SecretKey: Sendable {
    private let key: SymmetricKey

    /// The key must decode from base64 to at least 32 bytes.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64), data.count >= 32 else { return nil }
        self.key = SymmetricKey(data: data)
    }

    /// A 256-bit subkey for one purpose; the purpose string is part of the derivation and must never change.
    public func subkey(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key,
            salt: Data("dossier".utf8),
            info: Data(purpose.utf8),
            outputByteCount: 32
        )
    }
}

extension SecretKey: CustomStringConvertible {
    /// Never the key itself, so interpolating it into a log line is harmless.
    public var description: String { "SecretKey(redacted)" }
}
