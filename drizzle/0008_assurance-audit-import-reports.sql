CREATE TYPE "public"."audit_action_status" AS ENUM('open', 'done', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."audit_case_status" AS ENUM('not-started', 'in-progress', 'complete');--> statement-breakpoint
CREATE TYPE "public"."case_audit_status" AS ENUM('draft', 'sampled', 'complete');--> statement-breakpoint
CREATE TYPE "public"."import_mode" AS ENUM('all-or-nothing', 'valid-only');--> statement-breakpoint
CREATE TYPE "public"."import_row_outcome" AS ENUM('create', 'update', 'unchanged', 'reject');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('uploaded', 'checked', 'applying', 'applied', 'failed');--> statement-breakpoint
CREATE TABLE "audit_case" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"audit_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"local_authority" text,
	"team_id" uuid,
	"position" integer NOT NULL,
	"status" "audit_case_status" DEFAULT 'not-started' NOT NULL,
	"auditor_id" uuid,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"score" integer,
	"summary" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "audit_case_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_checklist_item" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"pillar" integer NOT NULL,
	"code" text NOT NULL,
	"question" text NOT NULL,
	"guidance" text,
	"source" text,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "audit_checklist_item_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_finding" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"audit_id" uuid NOT NULL,
	"audit_case_id" uuid,
	"pillar" integer NOT NULL,
	"finding" text NOT NULL,
	"action" text NOT NULL,
	"owner_user_id" uuid,
	"due_on" date,
	"status" "audit_action_status" DEFAULT 'open' NOT NULL,
	"competency_domain" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "audit_finding_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_pillar" (
	"partnership_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"confirmed_title" boolean DEFAULT false NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "audit_pillar_partnership_id_number_pk" PRIMARY KEY("partnership_id","number")
);
--> statement-breakpoint
CREATE TABLE "case_audit" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"sample_size" integer NOT NULL,
	"stratify_by" text DEFAULT 'local-authority-and-team' NOT NULL,
	"seed" text NOT NULL,
	"status" "case_audit_status" DEFAULT 'draft' NOT NULL,
	"checklist" jsonb,
	"previous_audit_id" uuid,
	"sampled_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "case_audit_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "population_figure" (
	"partnership_id" uuid NOT NULL,
	"local_authority" text NOT NULL,
	"dimension" text NOT NULL,
	"category" text NOT NULL,
	"population" integer NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "population_figure_partnership_id_local_authority_dimension_category_pk" PRIMARY KEY("partnership_id","local_authority","dimension","category")
);
--> statement-breakpoint
CREATE TABLE "import_mapping" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"columns" jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "import_mapping_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "register_import" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"format" text NOT NULL,
	"columns" jsonb NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"mapping_id" uuid,
	"organisation_id" uuid NOT NULL,
	"status" "import_status" DEFAULT 'uploaded' NOT NULL,
	"mode" "import_mode",
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"created_by" uuid,
	"checked_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "register_import_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "register_import_row" (
	"partnership_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"cells" jsonb NOT NULL,
	"record" jsonb,
	"nhs_number" text,
	"outcome" "import_row_outcome" NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "register_import_row_partnership_id_import_id_row_number_pk" PRIMARY KEY("partnership_id","import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "quality_snapshot" (
	"partnership_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"taken_on" date NOT NULL,
	"population" integer NOT NULL,
	"score_tenths" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quality_snapshot_partnership_id_organisation_id_taken_on_pk" PRIMARY KEY("partnership_id","organisation_id","taken_on")
);
--> statement-breakpoint
CREATE TABLE "report_schedule" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"query" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recipient_user_ids" uuid[] NOT NULL,
	"day_of_month" integer DEFAULT 1 NOT NULL,
	"next_run_on" date NOT NULL,
	"last_run_at" timestamp with time zone,
	"active" boolean DEFAULT true NOT NULL,
	"organisation_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "report_schedule_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "attachment_name" text;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "attachment_type" text;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "attachment_base64" text;--> statement-breakpoint
ALTER TABLE "audit_case" ADD CONSTRAINT "audit_case_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_case" ADD CONSTRAINT "audit_case_auditor_id_app_user_id_fk" FOREIGN KEY ("auditor_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_case" ADD CONSTRAINT "audit_case_partnership_id_audit_id_case_audit_partnership_id_id_fk" FOREIGN KEY ("partnership_id","audit_id") REFERENCES "public"."case_audit"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_case" ADD CONSTRAINT "audit_case_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_case" ADD CONSTRAINT "audit_case_partnership_id_team_id_team_partnership_id_id_fk" FOREIGN KEY ("partnership_id","team_id") REFERENCES "public"."team"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_checklist_item" ADD CONSTRAINT "audit_checklist_item_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_checklist_item" ADD CONSTRAINT "audit_checklist_item_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_finding" ADD CONSTRAINT "audit_finding_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_finding" ADD CONSTRAINT "audit_finding_owner_user_id_app_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_finding" ADD CONSTRAINT "audit_finding_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_finding" ADD CONSTRAINT "audit_finding_partnership_id_audit_id_case_audit_partnership_id_id_fk" FOREIGN KEY ("partnership_id","audit_id") REFERENCES "public"."case_audit"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_finding" ADD CONSTRAINT "audit_finding_partnership_id_audit_case_id_audit_case_partnership_id_id_fk" FOREIGN KEY ("partnership_id","audit_case_id") REFERENCES "public"."audit_case"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_pillar" ADD CONSTRAINT "audit_pillar_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_pillar" ADD CONSTRAINT "audit_pillar_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_audit" ADD CONSTRAINT "case_audit_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_audit" ADD CONSTRAINT "case_audit_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "population_figure" ADD CONSTRAINT "population_figure_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "population_figure" ADD CONSTRAINT "population_figure_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_mapping" ADD CONSTRAINT "import_mapping_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_mapping" ADD CONSTRAINT "import_mapping_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_import" ADD CONSTRAINT "register_import_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_import" ADD CONSTRAINT "register_import_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_import" ADD CONSTRAINT "register_import_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_import_row" ADD CONSTRAINT "register_import_row_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_snapshot" ADD CONSTRAINT "quality_snapshot_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_snapshot" ADD CONSTRAINT "quality_snapshot_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedule" ADD CONSTRAINT "report_schedule_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedule" ADD CONSTRAINT "report_schedule_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedule" ADD CONSTRAINT "report_schedule_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_case_person_uq" ON "audit_case" USING btree ("partnership_id","audit_id","person_id");--> statement-breakpoint
CREATE INDEX "audit_case_audit_idx" ON "audit_case" USING btree ("partnership_id","audit_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_checklist_item_code_uq" ON "audit_checklist_item" USING btree ("partnership_id","code");--> statement-breakpoint
CREATE INDEX "audit_finding_audit_idx" ON "audit_finding" USING btree ("partnership_id","audit_id");--> statement-breakpoint
CREATE INDEX "audit_finding_owner_idx" ON "audit_finding" USING btree ("partnership_id","owner_user_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "import_mapping_name_uq" ON "import_mapping" USING btree ("partnership_id","name");--> statement-breakpoint
CREATE INDEX "register_import_created_idx" ON "register_import" USING btree ("partnership_id","created_at");--> statement-breakpoint
CREATE INDEX "register_import_row_outcome_idx" ON "register_import_row" USING btree ("partnership_id","import_id","outcome");--> statement-breakpoint
CREATE INDEX "report_schedule_due_idx" ON "report_schedule" USING btree ("active","next_run_on");