/// Splits a migration file into its statements. PostgresNIO speaks only the extended query
/// protocol, which takes one statement at a time, so a file with several statements is sent
/// statement by statement inside the migration's transaction.
///
/// Semicolons inside quoted strings, quoted identifiers, dollar-quoted bodies (functions,
/// `DO` blocks) and comments do not end a statement.
public enum SQLScript {
    public static func statements(in sql: String) -> [String] {
        let characters = Array(sql.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let statement = String(current).trimmingWhitespace()
            if !statement.isEmpty && !isOnlyComments(statement) { statements.append(statement) }
            current = String.UnicodeScalarView()
        }

        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "'", "\"":
                let end = closing(of: character, in: characters, from: index + 1)
                current.append(contentsOf: characters[index..<end])
                index = end
            case "-" where next == "-":
                var end = index
                while end < characters.count && characters[end] != "\n" { end += 1 }
                current.append(contentsOf: characters[index..<end])
                index = end
            case "/" where next == "*":
                let end = endOfBlockComment(in: characters, from: index)
                current.append(contentsOf: characters[index..<end])
                index = end
            case "$":
                if let tag = dollarTag(in: characters, at: index) {
                    let end = endOfDollarQuote(tag, in: characters, from: index + tag.count)
                    current.append(contentsOf: characters[index..<end])
                    index = end
                } else {
                    current.append(character)
                    index += 1
                }
            case ";":
                flush()
                index += 1
            default:
                current.append(character)
                index += 1
            }
        }
        flush()
        return statements
    }

    /// Index just past the closing quote; a doubled quote is an escaped one.
    private static func closing(of quote: Unicode.Scalar, in characters: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < characters.count {
            if characters[index] == quote {
                if index + 1 < characters.count && characters[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return characters.count
    }

    private static func endOfBlockComment(in characters: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < characters.count {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if characters[index] == "/" && next == "*" {
                depth += 1
                index += 2
            } else if characters[index] == "*" && next == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return characters.count
    }

    /// `$$` or `$name$` starting at `index`; nil for a positional parameter like `$1`.
    private static func dollarTag(in characters: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var end = index + 1
        while end < characters.count {
            let character = characters[end]
            if character == "$" { return Array(characters[index...end]) }
            let isTagCharacter =
                character == "_" || character.properties.isAlphabetic
                || (end > index + 1 && ("0"..."9").contains(character))
            guard isTagCharacter else { return nil }
            end += 1
        }
        return nil
    }

    private static func endOfDollarQuote(
        _ tag: [Unicode.Scalar],
        in characters: [Unicode.Scalar],
        from start: Int
    ) -> Int {
        var index = start
        while index + tag.count <= characters.count {
            if Array(characters[index..<index + tag.count]) == tag { return index + tag.count }
            index += 1
        }
        return characters.count
    }

    private static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy {
            $0.trimmingWhitespace().hasPrefix("--") || $0.trimmingWhitespace().isEmpty
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
