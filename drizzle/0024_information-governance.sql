CREATE TABLE "retention_policy" (
	"partnership_id" uuid NOT NULL,
	"years_after_entitlement_ended" integer DEFAULT 20 NOT NULL,
	"years_after_death" integer DEFAULT 8 NOT NULL,
	"last_listed_on" date,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "retention_policy_partnership_id_pk" PRIMARY KEY("partnership_id"),
	CONSTRAINT "retention_policy_years_check" CHECK ("retention_policy"."years_after_entitlement_ended" between 1 and 100 and "retention_policy"."years_after_death" between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "retention_review" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"due_from" date NOT NULL,
	"basis" text NOT NULL,
	"listed_on" date NOT NULL,
	"decision" text,
	"keep_years" integer,
	"keep_until" date,
	"reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "retention_review_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "retention_review_decision_check" CHECK ("retention_review"."decision" is null or ("retention_review"."decision" = 'keep' and "retention_review"."keep_years" between 1 and 100 and "retention_review"."keep_until" is not null and "retention_review"."reason" is not null) or ("retention_review"."decision" = 'destroy' and "retention_review"."reason" is not null))
);
--> statement-breakpoint
ALTER TABLE "retention_policy" ADD CONSTRAINT "retention_policy_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_policy" ADD CONSTRAINT "retention_policy_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_review" ADD CONSTRAINT "retention_review_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_review" ADD CONSTRAINT "retention_review_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_review" ADD CONSTRAINT "retention_review_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "retention_review_person_due_uq" ON "retention_review" USING btree ("partnership_id","person_id","due_from");--> statement-breakpoint
CREATE INDEX "retention_review_open_idx" ON "retention_review" USING btree ("partnership_id","decision","due_from");--> statement-breakpoint
-- Issue #14, item 6: the retention schedule and the retention reviews are tenant tables, so
-- row-level security like every other table of partnership data (decision 0006).
SELECT aftercare_enable_tenancy();
