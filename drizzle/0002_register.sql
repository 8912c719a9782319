CREATE TYPE "public"."contact_relationship" AS ENUM('nearest-relative', 'next-of-kin', 'carer', 'advocate', 'attorney', 'deputy');--> statement-breakpoint
CREATE TYPE "public"."discharge_planning" AS ENUM('not-started', 'in-progress', 'ready');--> statement-breakpoint
CREATE TYPE "public"."engagement_status" AS ENUM('engaged', 'disengaged', 'not-known');--> statement-breakpoint
CREATE TYPE "public"."entitlement_status" AS ENUM('not-entitled', 'pending', 'entitled', 'ended', 'manual-review');--> statement-breakpoint
CREATE TYPE "public"."task_status" AS ENUM('open', 'done', 'cancelled');--> statement-breakpoint
CREATE TABLE "legal_event" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"type" text NOT NULL,
	"occurred_on" date NOT NULL,
	"sequence" integer NOT NULL,
	"payload" jsonb NOT NULL,
	"hospital" text,
	"external_id" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"recorded_by" uuid,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "legal_event_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "person" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"nhs_number" text NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"date_of_birth" date NOT NULL,
	"address" text,
	"postcode" text,
	"residence_local_authority" text,
	"gp_practice" text,
	"gp_icb" text,
	"ethnicity" text DEFAULT '99' NOT NULL,
	"sex" text DEFAULT 'not-known' NOT NULL,
	"gender" text,
	"preferred_language" text DEFAULT 'English' NOT NULL,
	"interpreter_needed" boolean DEFAULT false NOT NULL,
	"communication_needs" text[] DEFAULT '{}'::text[] NOT NULL,
	"communication_notes" text,
	"allocated_team_id" uuid,
	"lead_practitioner_id" uuid,
	"engagement" "engagement_status" DEFAULT 'not-known' NOT NULL,
	"last_contact_on" date,
	"expected_discharge_on" date,
	"discharge_planning" "discharge_planning" DEFAULT 'not-started' NOT NULL,
	"recorded_by_organisation_id" uuid NOT NULL,
	"involved_organisations" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" "entitlement_status" DEFAULT 'not-entitled' NOT NULL,
	"entitlement_start" date,
	"responsible_local_authority" text,
	"responsible_icb" text,
	"next_review_due" date,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"decision" jsonb,
	"decided_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "person_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "person_contact" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"relationship" "contact_relationship" NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"email" text,
	"address" text,
	"consent_to_share" boolean DEFAULT false NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "person_contact_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "task" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"flag" text,
	"title" text NOT NULL,
	"detail" text,
	"owner_organisation_id" uuid,
	"owner_user_id" uuid,
	"due_on" date,
	"status" "task_status" DEFAULT 'open' NOT NULL,
	"outcome" text,
	"completed_at" timestamp with time zone,
	"completed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "task_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "team" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "team_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
ALTER TABLE "organisation" ADD COLUMN "ons_code" text;--> statement-breakpoint
ALTER TABLE "legal_event" ADD CONSTRAINT "legal_event_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_event" ADD CONSTRAINT "legal_event_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_event" ADD CONSTRAINT "legal_event_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_lead_practitioner_id_app_user_id_fk" FOREIGN KEY ("lead_practitioner_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_recorded_by_organisation_id_organisation_id_fk" FOREIGN KEY ("recorded_by_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_partnership_id_allocated_team_id_team_partnership_id_id_fk" FOREIGN KEY ("partnership_id","allocated_team_id") REFERENCES "public"."team"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_contact" ADD CONSTRAINT "person_contact_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_contact" ADD CONSTRAINT "person_contact_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_owner_organisation_id_organisation_id_fk" FOREIGN KEY ("owner_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_owner_user_id_app_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_completed_by_app_user_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team" ADD CONSTRAINT "team_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team" ADD CONSTRAINT "team_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "legal_event_person_idx" ON "legal_event" USING btree ("partnership_id","person_id","occurred_on","sequence");--> statement-breakpoint
CREATE UNIQUE INDEX "legal_event_external_uq" ON "legal_event" USING btree ("partnership_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "person_nhs_number_uq" ON "person" USING btree ("partnership_id","nhs_number");--> statement-breakpoint
CREATE INDEX "person_name_idx" ON "person" USING btree ("partnership_id",lower("family_name"),lower("given_name"));--> statement-breakpoint
CREATE INDEX "person_dob_idx" ON "person" USING btree ("partnership_id","date_of_birth");--> statement-breakpoint
CREATE INDEX "person_status_idx" ON "person" USING btree ("partnership_id","status","family_name");--> statement-breakpoint
CREATE INDEX "person_la_idx" ON "person" USING btree ("partnership_id","responsible_local_authority","status");--> statement-breakpoint
CREATE INDEX "person_icb_idx" ON "person" USING btree ("partnership_id","responsible_icb","status");--> statement-breakpoint
CREATE INDEX "person_review_idx" ON "person" USING btree ("partnership_id","next_review_due");--> statement-breakpoint
CREATE INDEX "person_team_idx" ON "person" USING btree ("partnership_id","allocated_team_id");--> statement-breakpoint
CREATE INDEX "person_involved_idx" ON "person" USING gin ("involved_organisations");--> statement-breakpoint
CREATE INDEX "person_contact_person_idx" ON "person_contact" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE INDEX "task_person_idx" ON "task" USING btree ("partnership_id","person_id","status");--> statement-breakpoint
CREATE INDEX "task_owner_idx" ON "task" USING btree ("partnership_id","owner_organisation_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "task_open_flag_uq" ON "task" USING btree ("partnership_id","person_id","flag") WHERE status = 'open' and flag is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "team_org_name_uq" ON "team" USING btree ("partnership_id","organisation_id","name");