import Foundation
import PostgresNIO

/// The few statements the seed needs beyond the services: whether it ran, the portfolios the
/// trainees got, and the bulk insert of entries at national scale.
struct SeedRepository: Sendable {
    func personExists(email: String, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query(
            "SELECT 1 FROM people WHERE email = \(email)",
            logger: PersonRepository.logger
        ).hasRow()
    }

    /// The portfolio of each trainee, in the trainees' order.
    func portfolios(of trainees: [PersonID], on connection: PostgresConnection) async throws -> [Portfolio.ID] {
        var byTrainee: [UUID: UUID] = [:]
        let rows = try await connection.query(
            "SELECT trainee_id, id FROM portfolios WHERE trainee_id = ANY(\(trainees.map(\.uuid)))",
            logger: PersonRepository.logger
        )
        for try await (trainee, portfolio) in rows.decode((UUID, UUID).self) { byTrainee[trainee] = portfolio }
        return try trainees.map { trainee in
            guard let portfolio = byTrainee[trainee.uuid] else { throw DossierError.notFound("portfolio") }
            return Portfolio.ID(portfolio)
        }
    }

    /// `perPortfolio` shared entries for each portfolio, the newest `now`, two days apart, with
    /// UUIDv7 ids from their creation times and bodies of 200-1,200 characters. The same
    /// statement as the benchmark case's `entries-seed.sql`, without its randomness.
    func insertEntries(
        portfolios: [Portfolio.ID],
        perPortfolio: Int,
        at now: Date,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO entries (id, portfolio_id, kind, title, body, tags, activities, shared, version, created_at, updated_at)
            SELECT
              (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-' ||
               substr('89ab', 1 + (get_byte(decode(r, 'hex'), 15) % 4), 1) || substr(r, 4, 3) || '-' || substr(r, 7, 12))::uuid,
              x.portfolio_id,
              (ARRAY['reflection','learning_goal','case','meeting_note','certificate','other'])[1 + x.g % 6],
              'Reflectie ' || x.g || ': ' || (ARRAY['anamnese bij een oudere patiënt','slecht-nieuwsgesprek',
                'overdracht in de nachtdienst','samenwerking met de praktijkondersteuner','medicatiereview','spoedvisite'])[1 + x.g % 6],
              left(repeat(\(SeedPlan.reflection), 6), 200 + (x.g * 37 + abs(hashtext(x.portfolio_id::text))) % 1000),
              CASE x.g % 4 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['communicatie'] WHEN 2 THEN ARRAY['diagnostiek','reflectie']
                ELSE ARRAY['samenwerking','professionaliteit','leren'] END,
              CASE x.g % 3 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['EPA 3'] ELSE ARRAY['EPA 1','EPA 5'] END,
              true, 1, x.ts, x.ts
            FROM (
              SELECT p AS portfolio_id, g,
                     \(now)::timestamptz - make_interval(days => (\(perPortfolio)::int - g) * 2,
                                                         mins => abs(hashtext(p::text || g)) % 600) AS ts
              FROM unnest(\(portfolios.map(\.uuid))::uuid[]) AS p CROSS JOIN generate_series(1, \(perPortfolio)::int) AS g
            ) x,
            LATERAL (SELECT lpad(to_hex(floor(extract(epoch FROM x.ts) * 1000)::bigint), 12, '0') AS h,
                            md5(x.portfolio_id::text || '/' || x.g) AS r) u
            """,
            logger: PersonRepository.logger
        )
    }
}
