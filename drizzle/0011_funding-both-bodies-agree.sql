CREATE TYPE "public"."paying_body" AS ENUM('local-authority', 'icb');--> statement-breakpoint
CREATE TABLE "funding_agreement_policy" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"icb_threshold_weekly_pence" integer,
	"icb_always_for_health_needs" boolean DEFAULT false NOT NULL,
	"basis" text NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_agreement" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"body" "paying_body" NOT NULL,
	"organisation_id" uuid,
	"agreed_by" uuid,
	"agreed_at" timestamp with time zone NOT NULL,
	"panel_case_id" uuid,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_agreement_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
ALTER TABLE "aftercare_plan" ADD COLUMN "panel_case_id" uuid;--> statement-breakpoint
ALTER TABLE "funding_agreement_policy" ADD CONSTRAINT "funding_agreement_policy_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding_agreement_policy" ADD CONSTRAINT "funding_agreement_policy_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_agreement" ADD CONSTRAINT "plan_agreement_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_agreement" ADD CONSTRAINT "plan_agreement_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_agreement" ADD CONSTRAINT "plan_agreement_agreed_by_app_user_id_fk" FOREIGN KEY ("agreed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_agreement" ADD CONSTRAINT "plan_agreement_partnership_id_plan_id_aftercare_plan_partnership_id_id_fk" FOREIGN KEY ("partnership_id","plan_id") REFERENCES "public"."aftercare_plan"("partnership_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_agreement_body_uq" ON "plan_agreement" USING btree ("partnership_id","plan_id","body");--> statement-breakpoint
CREATE INDEX "plan_agreement_person_idx" ON "plan_agreement" USING btree ("partnership_id","person_id");--> statement-breakpoint
-- The new partnership tables get row-level security like every other (migration 0009).
SELECT aftercare_enable_tenancy();
