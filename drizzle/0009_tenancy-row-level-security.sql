-- Tenancy as a property of the database (docs/decisions/0006-one-door-to-the-data.md, issue #12).
--
-- The application reaches partnership data through one door (src/platform/data/door.ts). The door
-- runs each unit of work in a transaction that switches to the NOLOGIN role `aftercare_tenant` and
-- sets `aftercare.partnership_id` to the actor's partnership, both with SET LOCAL semantics. Every
-- table carrying `partnership_id` has row-level security with a policy for that role, so a query
-- that forgot its partnership filter still sees, and can only write, the actor's partnership.
-- The connecting role (the tables' owner) is not subject to the policies: migrations, sign-in,
-- sessions and code not yet moved to the door work as before.

-- 1. The role. Roles belong to the whole cluster, so create it only if it is missing. On a managed
--    PostgreSQL whose migration role lacks CREATEROLE, an operator creates it once beforehand
--    (README "Operations"): CREATE ROLE aftercare_tenant NOLOGIN; GRANT aftercare_tenant TO <app role>;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aftercare_tenant') THEN
    BEGIN
      CREATE ROLE aftercare_tenant NOLOGIN;
    EXCEPTION
      WHEN duplicate_object THEN NULL; -- created meanwhile by another database of this cluster
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'Aftercare needs the database role aftercare_tenant, and % may not create roles', current_user
          USING HINT = format('Ask the database administrator to run: CREATE ROLE aftercare_tenant NOLOGIN; GRANT aftercare_tenant TO %I;', current_user);
    END;
  END IF;
  -- The application switches to the role with SET LOCAL ROLE, so it must be a member of it.
  IF NOT pg_has_role(current_user, 'aftercare_tenant', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT aftercare_tenant TO %I', current_user);
    EXCEPTION
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'Aftercare must be able to switch to the role aftercare_tenant, and % may not grant it', current_user
          USING HINT = format('Ask the database administrator to run: GRANT aftercare_tenant TO %I;', current_user);
    END;
  END IF;
END
$$;
--> statement-breakpoint

-- 2. The policies, for every table that carries partnership_id (found, not listed, so no table is
--    missed), plus the partnership table itself. A later migration that adds a partnership table
--    ends with `SELECT aftercare_enable_tenancy();` (src/platform/data/door.int.test.ts checks it did).
CREATE OR REPLACE FUNCTION aftercare_enable_tenancy() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t record;
  tenant constant text := 'nullif(current_setting(''aftercare.partnership_id'', true), '''')::uuid';
BEGIN
  FOR t IN
    SELECT c.table_schema, c.table_name
      FROM information_schema.columns c
      JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
     WHERE c.column_name = 'partnership_id'
       AND c.data_type = 'uuid'
       AND tb.table_type = 'BASE TABLE'
       AND c.table_schema = current_schema()
  LOOP
    EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', t.table_schema, t.table_name);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I.%I', t.table_schema, t.table_name);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I.%I AS PERMISSIVE FOR ALL TO aftercare_tenant USING (partnership_id = %s) WITH CHECK (partnership_id = %s)',
      t.table_schema, t.table_name, tenant, tenant);
  END LOOP;

  ALTER TABLE partnership ENABLE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS tenant_isolation ON partnership;
  EXECUTE format('CREATE POLICY tenant_isolation ON partnership AS PERMISSIVE FOR ALL TO aftercare_tenant USING (id = %s) WITH CHECK (id = %s)', tenant, tenant);

  -- What the role may do at all; the policies above narrow it to one partnership's rows.
  GRANT USAGE ON SCHEMA public TO aftercare_tenant;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO aftercare_tenant;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO aftercare_tenant;
  -- The audit trail is append-only (migration 0001's trigger); the role is not even granted the change.
  REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM aftercare_tenant;
END
$$;
--> statement-breakpoint
SELECT aftercare_enable_tenancy();
--> statement-breakpoint

-- 3. Tables and sequences created later by the migrating role are usable by the tenant role too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO aftercare_tenant;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO aftercare_tenant;
