import Foundation

/// What one planning pass reads once for everybody: the download window of the current policy,
/// the completed portfolios inside it, the figures coordinators are told, and every trainee's
/// progress-review schedule.
struct InstituteView: Sendable {
    let downloadMonths: Int
    let reviews: [PersonID: Reviews]
    let completed: [DigestGatherRepository.CompletedPortfolio]
    let figures: DigestGatherRepository.InstituteFigures
    let ipoAtRisk: Int
    let ipoNotPlanned: Int

    static func load(now: Date, on connection: DatabaseConnection) async throws -> InstituteView {
        let today = CalendarDate(now)
        let policy = try await RetentionPolicyRepository().current(on: connection)?.policy.downloadMonths ?? 6
        let gather = DigestGatherRepository()
        let reports = IPOReportRepository()
        let trainees = try await reports.activeTrainees(group: nil, trainingYear: nil, on: connection)
        let participations = try await reports.participations(of: trainees.map(\.id), on: connection)
        var atRisk = 0
        var notPlanned = 0
        for trainee in trainees {
            switch IPORequirementRule.evaluate(trainee.profile, participations[trainee.id] ?? [], now: now).status {
            case .atRisk: atRisk += 1
            case .notPlanned: notPlanned += 1
            default: break
            }
        }
        var reviews: [PersonID: Reviews] = [:]
        for input in try await ProgressRecordRepository().scheduleInputs(portfolio: nil, on: connection) {
            reviews[input.traineeID] = Reviews(
                portfolio: input.portfolioID.uuid,
                items: ProgressReviewSchedule.items(start: input.start, end: input.end, held: input.held, today: today)
            )
        }
        return InstituteView(
            downloadMonths: policy,
            reviews: reviews,
            completed: try await gather.completedPortfolios(
                completedOnOrAfter: today.adding(months: -policy),
                on: connection
            ),
            figures: try await gather.instituteFigures(now: now, on: connection),
            ipoAtRisk: atRisk,
            ipoNotPlanned: notPlanned
        )
    }

    /// A trainee's review schedule, as the digest tells it.
    struct Reviews: Sendable {
        let portfolio: UUID
        let items: [ProgressReviewSchedule.Item]

        /// Overdue reviews, and the next one when it is due within 14 days; `trainee` names whose
        /// they are for a supervisor, nil for the trainee themself.
        func items(for trainee: String?, today: CalendarDate, baseURL: String) -> [DigestContent.Item] {
            let link = "\(baseURL)/v1/portfolios/\(portfolio.lowercasedString)/progress-review-schedule"
            let whose = trainee.map { "\($0): " } ?? ""
            var result = items.filter { $0.status == .overdue }.map {
                DigestContent.Item(
                    "\(whose)progress review \($0.number) was due on \($0.dueOn) (\($0.dueOn.days(until: today)) days overdue)",
                    link: link
                )
            }
            if let next = items.first(where: { $0.status == .upcoming }), today.days(until: next.dueOn) <= 14 {
                result.append(.init("\(whose)progress review \(next.number) is due on \(next.dueOn)", link: link))
            }
            return result
        }
    }

    func coordinatorItems(_ baseURL: String) -> [DigestContent.Item] {
        var items: [DigestContent.Item] = []
        if ipoAtRisk + ipoNotPlanned > 0 {
            items.append(
                .init(
                    "IPO requirement: \(ipoAtRisk) trainees at risk, \(ipoNotPlanned) with nothing planned",
                    link: "\(baseURL)/v1/ipo/compliance?status=at_risk"
                )
            )
        }
        for evaluation in figures.evaluationsBelowTarget {
            items.append(
                .init(
                    "\"\(evaluation.title)\" has a response rate of \(evaluation.rate) %, below its target of \(evaluation.target) %",
                    link: "\(baseURL)/v1/evaluations/\(evaluation.id.lowercasedString)/response-rate"
                )
            )
        }
        if figures.runsAwaitingApproval > 0 {
            items.append(
                .init(
                    "\(figures.runsAwaitingApproval) retention runs await an admin's approval",
                    link: "\(baseURL)/v1/admin/retention/runs"
                )
            )
        }
        if figures.deadJobs > 0 {
            items.append(
                .init(
                    "\(figures.deadJobs) background jobs failed for good",
                    link: "\(baseURL)/v1/admin/jobs?state=dead"
                )
            )
        }
        if figures.mailProblems > 0 {
            items.append(
                .init(
                    "\(figures.mailProblems) mails failed or may not have arrived",
                    link: "\(baseURL)/v1/admin/outbox?status=unknown"
                )
            )
        }
        return items
    }
}
