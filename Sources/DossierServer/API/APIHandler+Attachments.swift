import DossierAPI
import DossierCore
import Foundation
import HTTPTypes
import OpenAPIRuntime

extension APIHandler {
    func listAttachments(_ input: Operations.ListAttachments.Input) async throws -> Operations.ListAttachments.Output {
        let files = try await attachments.list(entry: try Self.id(input.path.id, "entry"), caller: try currentCaller())
        return .ok(.init(body: .json(.init(items: files.map(Components.Schemas.Attachment.init)))))
    }

    func createAttachment(_ input: Operations.CreateAttachment.Input) async throws -> Operations.CreateAttachment.Output
    {
        let (type, body) = Self.typed(input.body)
        let length: Int? =
            switch body.length {
            case .known(let count): Int(count)
            case .unknown: nil
            }
        let attachment = try await attachments.upload(
            to: try Self.id(input.path.id, "entry"),
            fileName: input.query.fileName,
            type: type,
            declaredLength: length,
            body: body,
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(attachment))))
    }

    func getAttachmentContent(
        _ input: Operations.GetAttachmentContent.Input
    ) async throws -> Operations.GetAttachmentContent.Output {
        let attachment = try await attachments.open(
            try Self.id(input.path.id, "attachment"),
            caller: try currentCaller()
        )
        let range = try input.headers.range.flatMap { (header) throws(DossierError) in
            try ByteRange.parse(header, size: attachment.size)
        }
        let sink = ResponseHeaderSink.current
        sink?.set(.contentType, attachment.type.rawValue)
        sink?.set(.contentDisposition, "attachment; filename=\"\(attachment.fileName)\"")
        sink?.set(.acceptRanges, "bytes")
        sink?.set(.eTag, "\"\(attachment.sha256Hex)\"")
        let stream = attachments.content(of: attachment, range: range)
        guard let range else {
            let body = HTTPBody(stream, length: .known(Int64(attachment.size)), iterationBehavior: .single)
            return .ok(.init(body: .init(attachment.type, body)))
        }
        sink?.set(.contentRange, "bytes \(range.first)-\(range.last)/\(attachment.size)")
        let body = HTTPBody(stream, length: .known(Int64(range.count)), iterationBehavior: .single)
        return .partialContent(.init(body: .init(attachment.type, body)))
    }

    /// The declared type of an upload and its streaming body.
    private static func typed(_ body: Operations.CreateAttachment.Input.Body) -> (AttachmentType, HTTPBody) {
        switch body {
        case .pdf(let body): (.pdf, body)
        case .png(let body): (.png, body)
        case .jpeg(let body): (.jpeg, body)
        case .videoMp4(let body): (.mp4, body)
        case .videoQuicktime(let body): (.quickTime, body)
        case .plainText(let body): (.plainText, body)
        case .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(let body): (.docx, body)
        case .applicationVnd_openxmlformatsOfficedocument_spreadsheetml_sheet(let body): (.xlsx, body)
        case .applicationVnd_openxmlformatsOfficedocument_presentationml_presentation(let body): (.pptx, body)
        case .applicationVnd_oasis_opendocument_text(let body): (.odt, body)
        case .applicationVnd_oasis_opendocument_spreadsheet(let body): (.ods, body)
        case .applicationVnd_oasis_opendocument_presentation(let body): (.odp, body)
        }
    }
}
