-- The processes connect as dossier_app, which may read and write rows but never change the
-- schema. Tables created by the owner from here on grant DML to dossier_app automatically;
-- append-only tables (access_log, disposal_log) revoke UPDATE and DELETE in their own migration.
-- The role itself is created by the DBA (make run and make test create it for their clusters).
GRANT USAGE ON SCHEMA public TO dossier_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dossier_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO dossier_app;

-- Readiness and `serve` compare the applied migrations with the ones the binary knows.
GRANT SELECT ON schema_migrations TO dossier_app;
