import Foundation

/// `index.html`: the whole portfolio as one self-contained page a person opens offline. Every
/// user text passes through `escape`, so nothing a trainee or assessor typed becomes markup.
public enum ExportIndexPage {
    public static func html(_ export: PortfolioExport) -> [UInt8] {
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>Portfolio of \(escape(export.traineeName))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
            section{border-top:1px solid #ccc;margin-top:1.5rem}.meta{color:#555;font-size:.9rem}
            .text{white-space:pre-wrap}dt{font-weight:600;margin-top:.5rem}</style></head><body>

            """
        let portfolio = export.portfolio
        page += "<h1>Portfolio of \(escape(export.traineeName))</h1>\n<p class=\"meta\">"
        page += "Exported \(escape(stamp(export.exportedAt)))"
        if let completed = portfolio.completedAt { page += " · completed \(completed)" }
        if let windows = portfolio.windows {
            page += " · downloadable until \(windows.downloadUntil) · deleted after \(windows.deleteAfter)"
        }
        page += "</p>\n<p class=\"meta\">manifest.json holds the same content for machines.</p>\n"
        page += "<h2>Entries (\(export.entries.count))</h2>\n"
        let files = Dictionary(grouping: export.attachments, by: \.entryID)
        for entry in export.entries {
            page += "<section><h3>\(escape(entry.title))</h3>\n<p class=\"meta\">\(escape(entry.kind.rawValue))"
            page += entry.shared ? " · shared" : " · draft"
            page += " · \(escape(stamp(entry.createdAt)))"
            if !entry.tags.isEmpty { page += " · tags: \(escape(entry.tags.joined(separator: ", ")))" }
            if !entry.activities.isEmpty {
                page += " · activities: \(escape(entry.activities.joined(separator: ", ")))"
            }
            page += "</p>\n<div class=\"text\">\(escape(entry.body))</div>\n"
            if let attached = files[entry.id], !attached.isEmpty {
                page += "<h4>Attachments</h4><ul>\n"
                for file in attached {
                    page += "<li><a href=\"\(escape(PortfolioExport.path(of: file)))\">\(escape(file.fileName))</a>"
                    page += " <span class=\"meta\">\(file.size) bytes · SHA-256 \(file.sha256Hex)</span></li>\n"
                }
                page += "</ul>\n"
            }
            if !entry.comments.isEmpty {
                page += "<h4>Feedback</h4>\n"
                for comment in entry.comments {
                    page +=
                        "<p class=\"meta\">\(escape(export.name(comment.authorID))), \(escape(stamp(comment.createdAt)))</p>"
                    page += "<div class=\"text\">\(escape(comment.body))</div>\n"
                }
            }
            page += "</section>\n"
        }
        page += "<h2>Assessments (\(export.assessments.count))</h2>\n"
        for assessment in export.assessments {
            page +=
                "<section><h3>\(escape(assessment.instrument)) <span class=\"meta\">version \(assessment.formVersion)"
            page += assessment.isTest ? ", test" : ""
            page +=
                "</span></h3>\n<p class=\"meta\">\(escape(assessment.assessor.name)) (\(escape(assessment.assessor.role)))"
            page += " · \(assessment.assessedOn)</p>\n"
            page += answers(assessment.answers, export.form(assessment.instrument, assessment.formVersion))
            if !assessment.narrative.isEmpty { page += "<div class=\"text\">\(escape(assessment.narrative))</div>\n" }
            page += "</section>\n"
        }
        page += "<h2>Progress reviews, advice and decisions (\(export.records.count))</h2>\n"
        for record in export.records {
            page += "<section><h3>Progress \(escape(record.kind.rawValue)) of \(record.heldOn)</h3>\n<p class=\"meta\">"
            page += "by \(escape(export.name(record.authorID)))"
            page += record.signedAt.map { " · signed \(escape(stamp($0)))" } ?? " · not signed"
            if let amends = record.amends {
                page += " · amends \(amends): \(escape(record.amendReason ?? ""))"
            }
            page += record.isTest ? " · test" : ""
            page += "</p>\n"
            page += answers(record.answers, export.form(record.formKey, record.formVersion))
            if !record.summary.isEmpty { page += "<div class=\"text\">\(escape(record.summary))</div>\n" }
            page += "</section>\n"
        }
        page += "</body></html>\n"
        return Array(page.utf8)
    }

    /// Answers under their question labels, in the form's order.
    private static func answers(_ answers: [String: JSONValue], _ version: FormVersion?) -> String {
        guard let version else { return "" }
        var html = "<dl>\n"
        for question in version.definition.questions {
            guard let answer = answers[question.id], answer != .null else { continue }
            html += "<dt>\(escape(question.label))</dt><dd>\(escape(text(answer, question)))</dd>\n"
        }
        return html + "</dl>\n"
    }

    private static func text(_ answer: JSONValue, _ question: FormQuestion) -> String {
        func level(_ value: JSONValue) -> String {
            guard case .number(let number) = value,
                let level = question.levels.first(where: { Double($0.value) == number })
            else { return plain(value) }
            return "\(level.value) – \(level.label)"
        }
        func option(_ value: JSONValue) -> String {
            guard case .string(let text) = value else { return plain(value) }
            return question.options.first { $0.value == text }?.label ?? text
        }
        switch (question.kind, answer) {
        case (.rating, _): return level(answer)
        case (.singleChoice, _): return option(answer)
        case (.multipleChoice, .array(let values)): return values.map(option).joined(separator: ", ")
        case (.competencyRating, .object(let ratings)):
            return question.competencies.compactMap { competency in
                ratings[competency.value].map { "\(competency.label): \(level($0))" }
            }.joined(separator: "; ")
        default: return plain(answer)
        }
    }

    private static func plain(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText
    }

    private static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// HTML-escapes text for element content and quoted attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
