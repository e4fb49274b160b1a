import DossierCore
import Testing

@Suite struct SQLScriptTests {
    @Test func statementsAreSplitOnSemicolonsAndCommentOnlyPartsDropped() {
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE a (x int);
            /* block; /* nested; */ still comment */
            INSERT INTO a VALUES (1);
            -- trailing comment
            """

        #expect(
            SQLScript.statements(in: sql) == [
                "-- a comment; with a semicolon\nCREATE TABLE a (x int)",
                "/* block; /* nested; */ still comment */\nINSERT INTO a VALUES (1)",
            ]
        )
    }

    @Test func semicolonsInsideQuotesAndDollarBodiesStayInTheStatement() {
        let sql = """
            INSERT INTO t VALUES ('a;b', 'it''s;', "odd;name");
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT $1::int
            """

        #expect(
            SQLScript.statements(in: sql) == [
                #"INSERT INTO t VALUES ('a;b', 'it''s;', "odd;name")"#,
                "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END; $body$",
                "DO $$ BEGIN PERFORM 1; END $$",
                "SELECT $1::int",
            ]
        )
    }
}
