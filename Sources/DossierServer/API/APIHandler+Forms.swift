import DossierAPI
import DossierCore
import Foundation

extension APIHandler {
    func listForms(_ input: Operations.ListForms.Input) async throws -> Operations.ListForms.Output {
        let purpose = input.query.purpose.flatMap { Form.Purpose(rawValue: $0.rawValue) }
        let list = try await forms.list(purpose: purpose, caller: try currentCaller())
        return .ok(.init(body: .json(.init(items: list.map(Components.Schemas.Form.init)))))
    }

    func createForm(_ input: Operations.CreateForm.Input) async throws -> Operations.CreateForm.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let form = try await forms.create(
            key: body.key,
            title: body.title,
            purpose: body.purpose,
            caller: try currentCaller()
        )
        return .created(.init(body: .json(.init(form))))
    }

    func getForm(_ input: Operations.GetForm.Input) async throws -> Operations.GetForm.Output {
        .ok(.init(body: .json(.init(try await forms.get(input.path.key, caller: try currentCaller())))))
    }

    func listFormVersions(
        _ input: Operations.ListFormVersions.Input
    ) async throws -> Operations.ListFormVersions.Output {
        let versions = try await forms.versions(of: input.path.key, caller: try currentCaller())
        return .ok(.init(body: .json(.init(items: versions.map(Components.Schemas.FormVersion.init)))))
    }

    func createFormVersion(
        _ input: Operations.CreateFormVersion.Input
    ) async throws -> Operations.CreateFormVersion.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let version = try await forms.createVersion(
            of: input.path.key,
            definition: FormDefinition(body.definition),
            notes: body.notes,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, version.etag)
        return .created(.init(body: .json(.init(version))))
    }

    func getFormVersion(_ input: Operations.GetFormVersion.Input) async throws -> Operations.GetFormVersion.Output {
        let version = try await forms.version(input.path.key, Int(input.path.version), caller: try currentCaller())
        ResponseHeaderSink.current?.set(.eTag, version.etag)
        return .ok(.init(body: .json(.init(version))))
    }

    func updateFormVersion(
        _ input: Operations.UpdateFormVersion.Input
    ) async throws -> Operations.UpdateFormVersion.Output {
        guard case .applicationMergePatchJson(let body) = input.body else { throw Self.unsupportedBody }
        let version = try await forms.updateVersion(
            input.path.key,
            Int(input.path.version),
            patch: try FormVersionPatch(mergePatch: body),
            ifMatch: input.headers.ifMatch,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, version.etag)
        return .ok(.init(body: .json(.init(version))))
    }

    func changeFormVersionStatus(
        _ input: Operations.ChangeFormVersionStatus.Input
    ) async throws -> Operations.ChangeFormVersionStatus.Output {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let version = try await forms.move(
            input.path.key,
            Int(input.path.version),
            to: body.status,
            caller: try currentCaller()
        )
        ResponseHeaderSink.current?.set(.eTag, version.etag)
        return .ok(.init(body: .json(.init(version))))
    }
}
