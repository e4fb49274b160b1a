-- Every operation now names the scope its token needs. Operations that needed none before
-- (reading forms, managing one's own tokens) keep working for the tokens issued before: they
-- get the new scopes. `people:write` is not added: a token narrowed without it must not change
-- a person, which is the hole this closes.
UPDATE api_tokens
SET scopes = scopes || ARRAY(SELECT s FROM unnest(ARRAY['forms:read', 'tokens:read', 'tokens:write']) AS s
                             WHERE s <> ALL (scopes))
WHERE person_id IS NOT NULL;
UPDATE service_clients
SET scopes = scopes || ARRAY['forms:read']
WHERE NOT ('forms:read' = ANY (scopes));
UPDATE api_tokens
SET scopes = scopes || ARRAY['forms:read']
WHERE service_client_id IS NOT NULL AND NOT ('forms:read' = ANY (scopes));

-- A purge deletes the trainee's profile (dates, site, group), and with it the completion history
-- (free-text reasons) and supervisions. The portfolio row stays as the tombstone that names the
-- disposing run, so it hangs on the person, whose id the five-year access log keeps.
ALTER TABLE portfolios DROP CONSTRAINT portfolios_trainee_id_fkey;
ALTER TABLE portfolios ADD CONSTRAINT portfolios_trainee_id_fkey
    FOREIGN KEY (trainee_id) REFERENCES people (id) ON DELETE CASCADE;

-- Four eyes: a run above the auto-approve maximum is approved by an admin other than the one who
-- requested it. A one-admin installation turns this off with a new policy version, whose reason
-- and author are kept like every other change of the policy.
ALTER TABLE retention_policies ADD COLUMN four_eyes boolean NOT NULL DEFAULT true;

-- A profile inserted for a person whose portfolio exists (a restore that brings back a purged
-- trainee's profile, to be purged again by `dossier retention reapply`) reattaches to it.
CREATE OR REPLACE FUNCTION create_portfolio_for_trainee() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO portfolios (trainee_id) VALUES (NEW.person_id) ON CONFLICT (trainee_id) DO NOTHING;
    RETURN NEW;
END;
$$;
