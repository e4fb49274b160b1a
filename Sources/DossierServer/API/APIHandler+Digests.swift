import DossierAPI
import DossierCore

extension APIHandler {
    func getDigestPreferences(
        _ input: Operations.GetDigestPreferences.Input
    ) async throws
        -> Operations.GetDigestPreferences.Output
    {
        let preferences = try await digestPreferences.get(caller: try currentCaller())
        return .ok(.init(body: .json(.init(preferences))))
    }

    func updateDigestPreferences(
        _ input: Operations.UpdateDigestPreferences.Input
    ) async throws
        -> Operations.UpdateDigestPreferences.Output
    {
        guard case .json(let body) = input.body else { throw Self.unsupportedBody }
        let preferences = try await digestPreferences.update(
            DigestPreferencesInput(
                frequency: body.frequency,
                weekday: body.weekday,
                sendTime: body.sendTime,
                timeZone: body.timeZone
            ),
            caller: try currentCaller()
        )
        return .ok(.init(body: .json(.init(preferences))))
    }
}
