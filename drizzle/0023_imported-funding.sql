CREATE TABLE "imported_funding" (
	"partnership_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"weekly_cost_pence" integer,
	"local_authority_basis_points" integer,
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "imported_funding_partnership_id_person_id_pk" PRIMARY KEY("partnership_id","person_id"),
	CONSTRAINT "imported_funding_la_share" CHECK ("imported_funding"."local_authority_basis_points" is null or "imported_funding"."local_authority_basis_points" between 0 and 10000),
	CONSTRAINT "imported_funding_cost" CHECK ("imported_funding"."weekly_cost_pence" is null or "imported_funding"."weekly_cost_pence" >= 0)
);
--> statement-breakpoint
ALTER TABLE "imported_funding" ADD CONSTRAINT "imported_funding_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_funding" ADD CONSTRAINT "imported_funding_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Issue #14, item 4: the funding a person's row in the old register gave; a tenant table, so
-- row-level security like every other table of partnership data (decision 0006).
SELECT aftercare_enable_tenancy();
