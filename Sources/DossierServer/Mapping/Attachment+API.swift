import DossierAPI
import DossierCore
import OpenAPIRuntime

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

/// A download's body under its stored (sniffed) media type, which the contract lists one by one.
extension Operations.GetAttachmentContent.Output.Ok.Body {
    init(_ type: AttachmentType, _ body: HTTPBody) {
        self =
            switch type {
            case .pdf: .pdf(body)
            case .png: .png(body)
            case .jpeg: .jpeg(body)
            case .mp4: .videoMp4(body)
            case .quickTime: .videoQuicktime(body)
            case .plainText: .plainText(body)
            case .docx: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(body)
            case .xlsx: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(body)
            case .pptx: .applicationVnd_openxmlformatsOfficedocument_presentationml_presentation(body)
            case .odt: .applicationVnd_oasis_opendocument_text(body)
            case .ods: .applicationVnd_oasis_opendocument_spreadsheet(body)
            case .odp: .applicationVnd_oasis_opendocument_presentation(body)
            }
    }
}

extension Operations.GetAttachmentContent.Output.PartialContent.Body {
    /// A range of the download, under the same media types as the whole.
    init(_ type: AttachmentType, _ body: HTTPBody) {
        self =
            switch type {
            case .pdf: .pdf(body)
            case .png: .png(body)
            case .jpeg: .jpeg(body)
            case .mp4: .videoMp4(body)
            case .quickTime: .videoQuicktime(body)
            case .plainText: .plainText(body)
            case .docx: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(body)
            case .xlsx: .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(body)
            case .pptx: .applicationVnd_openxmlformatsOfficedocument_presentationml_presentation(body)
            case .odt: .applicationVnd_oasis_opendocument_text(body)
            case .ods: .applicationVnd_oasis_opendocument_spreadsheet(body)
            case .odp: .applicationVnd_oasis_opendocument_presentation(body)
            }
    }
}
