import DossierAPI
import DossierCore

extension Components.Schemas.Attachment {
    init(_ attachment: Attachment) {
        self.init(
            id: attachment.id.description,
            entryId: attachment.entryID.description,
            fileName: attachment.fileName,
            mediaType: attachment.type.rawValue,
            size: Int64(attachment.size),
            sha256: attachment.sha256Hex,
            crc32: Int64(attachment.crc32),
            createdAt: attachment.createdAt
        )
    }
}
