CREATE TYPE "public"."charge_status" AS ENUM('lawful', 'refund-due', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."budget_kind" AS ENUM('direct-payment', 'personal-health-budget');--> statement-breakpoint
CREATE TYPE "public"."budget_request_status" AS ENUM('requested', 'granted', 'refused', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."delivery_route" AS ENUM('commissioned', 'direct-payment', 'personal-health-budget', 'individual-service-fund', 'notional-budget');--> statement-breakpoint
CREATE TYPE "public"."need_level" AS ENUM('low', 'medium', 'high');--> statement-breakpoint
CREATE TYPE "public"."plan_status" AS ENUM('draft', 'submitted', 'approved', 'superseded');--> statement-breakpoint
CREATE TABLE "person_charge" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"service_id" uuid,
	"service_description" text NOT NULL,
	"s117" boolean NOT NULL,
	"charged_from" date NOT NULL,
	"charged_to" date NOT NULL,
	"amount_pence" integer NOT NULL,
	"paid_on" date NOT NULL,
	"status" charge_status NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"external_id" text,
	"refund_task_id" uuid,
	"refunded_on" date,
	"refunded_pence" integer,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "person_charge_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "information_given" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"given_on" date NOT NULL,
	"given_by" uuid,
	"format" text NOT NULL,
	"in_writing" boolean NOT NULL,
	"language" text DEFAULT 'English' NOT NULL,
	"document_id" uuid,
	"understood" text NOT NULL,
	"offer_again" boolean DEFAULT false NOT NULL,
	"offer_again_reason" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "information_given_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "person_document" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"plan_id" uuid,
	"kind" text NOT NULL,
	"accessible_format" text DEFAULT 'standard' NOT NULL,
	"language" text DEFAULT 'en-GB' NOT NULL,
	"title" text NOT NULL,
	"media_type" text NOT NULL,
	"file_name" text NOT NULL,
	"content" "bytea" NOT NULL,
	"content_hash" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_document_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "aftercare_plan" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"plan_number" integer NOT NULL,
	"status" "plan_status" DEFAULT 'draft' NOT NULL,
	"person_voice" text,
	"goals" text,
	"strengths" text,
	"early_warning_signs" text,
	"what_helps" text,
	"crisis_contacts" text,
	"wrap" text,
	"carers_involved" text,
	"carer_assessment_offered_on" date,
	"carer_assessment_outcome" text,
	"advocacy" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"participants" text,
	"created_by" uuid,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"approved_at" timestamp with time zone,
	"approved_by" uuid,
	"approved_for_organisation_id" uuid,
	"approval_note" text,
	"superseded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "aftercare_plan_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "budget_request" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"plan_id" uuid,
	"kind" "budget_kind" NOT NULL,
	"requested_on" date NOT NULL,
	"status" "budget_request_status" DEFAULT 'requested' NOT NULL,
	"decided_on" date,
	"not_appropriate_reason" text,
	"weekly_amount_pence" integer,
	"notes" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "budget_request_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "plan_need" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"domain" text NOT NULL,
	"description" text NOT NULL,
	"person_words" text,
	"strengths" text,
	"desired_outcome" text,
	"level" "need_level" DEFAULT 'medium' NOT NULL,
	"arises_from_mental_disorder" boolean NOT NULL,
	"reduces_risk_of_deterioration" boolean NOT NULL,
	"tests_rationale" text NOT NULL,
	"accommodation_enhanced" boolean,
	"accommodation_feature" text,
	"primary_health_need" boolean DEFAULT false NOT NULL,
	"health_need" boolean DEFAULT false NOT NULL,
	"eligible_care_act_need" boolean DEFAULT false NOT NULL,
	"category" text NOT NULL,
	"s117" boolean NOT NULL,
	"classification" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "plan_need_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "plan_service" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"lineage_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"need_ids" uuid[] NOT NULL,
	"service_type" text NOT NULL,
	"provider" text NOT NULL,
	"start_on" date NOT NULL,
	"end_on" date,
	"frequency" text NOT NULL,
	"units_per_week" numeric(10, 2) NOT NULL,
	"unit_cost_pence" integer NOT NULL,
	"weekly_cost_pence" integer NOT NULL,
	"delivery_route" "delivery_route" NOT NULL,
	"s117" boolean NOT NULL,
	"local_authority_basis_points" integer NOT NULL,
	"split_basis" text NOT NULL,
	"charge_pence" integer DEFAULT 0 NOT NULL,
	"top_up_preferred_weekly_pence" integer,
	"top_up_usual_weekly_pence" integer,
	"top_up_payer" text,
	"top_up_weekly_pence" integer,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "plan_service_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "plan_service_s117_free" CHECK (not "plan_service"."s117" or "plan_service"."charge_pence" = 0),
	CONSTRAINT "plan_service_la_share" CHECK ("plan_service"."local_authority_basis_points" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "plan_settings" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"resource_allocation" jsonb NOT NULL,
	"refund_interest_basis_points" integer DEFAULT 800 NOT NULL,
	"weeks_per_year" integer DEFAULT 52 NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organisation" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "organisation" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "organisation" ADD COLUMN "contact_address" text;--> statement-breakpoint
ALTER TABLE "person" ADD COLUMN "rights_given_in_writing_on" date;--> statement-breakpoint
ALTER TABLE "person_charge" ADD CONSTRAINT "person_charge_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_charge" ADD CONSTRAINT "person_charge_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_charge" ADD CONSTRAINT "person_charge_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_given" ADD CONSTRAINT "information_given_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_given" ADD CONSTRAINT "information_given_given_by_app_user_id_fk" FOREIGN KEY ("given_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "information_given" ADD CONSTRAINT "information_given_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_document" ADD CONSTRAINT "person_document_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_document" ADD CONSTRAINT "person_document_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_document" ADD CONSTRAINT "person_document_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aftercare_plan" ADD CONSTRAINT "aftercare_plan_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aftercare_plan" ADD CONSTRAINT "aftercare_plan_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aftercare_plan" ADD CONSTRAINT "aftercare_plan_submitted_by_app_user_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aftercare_plan" ADD CONSTRAINT "aftercare_plan_approved_by_app_user_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aftercare_plan" ADD CONSTRAINT "aftercare_plan_approved_for_organisation_id_organisation_id_fk" FOREIGN KEY ("approved_for_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aftercare_plan" ADD CONSTRAINT "aftercare_plan_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_request" ADD CONSTRAINT "budget_request_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_request" ADD CONSTRAINT "budget_request_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_request" ADD CONSTRAINT "budget_request_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_need" ADD CONSTRAINT "plan_need_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_need" ADD CONSTRAINT "plan_need_partnership_id_plan_id_aftercare_plan_partnership_id_id_fk" FOREIGN KEY ("partnership_id","plan_id") REFERENCES "public"."aftercare_plan"("partnership_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_service" ADD CONSTRAINT "plan_service_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_service" ADD CONSTRAINT "plan_service_partnership_id_plan_id_aftercare_plan_partnership_id_id_fk" FOREIGN KEY ("partnership_id","plan_id") REFERENCES "public"."aftercare_plan"("partnership_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_settings" ADD CONSTRAINT "plan_settings_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_settings" ADD CONSTRAINT "plan_settings_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_charge_person_idx" ON "person_charge" USING btree ("partnership_id","person_id","charged_from");--> statement-breakpoint
CREATE UNIQUE INDEX "person_charge_external_uq" ON "person_charge" USING btree ("partnership_id","external_id");--> statement-breakpoint
CREATE INDEX "information_given_person_idx" ON "information_given" USING btree ("partnership_id","person_id","given_on");--> statement-breakpoint
CREATE INDEX "information_given_writing_idx" ON "information_given" USING btree ("partnership_id","person_id") WHERE in_writing;--> statement-breakpoint
CREATE INDEX "person_document_person_idx" ON "person_document" USING btree ("partnership_id","person_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "aftercare_plan_number_uq" ON "aftercare_plan" USING btree ("partnership_id","person_id","plan_number");--> statement-breakpoint
CREATE UNIQUE INDEX "aftercare_plan_open_uq" ON "aftercare_plan" USING btree ("partnership_id","person_id") WHERE status in ('draft', 'submitted');--> statement-breakpoint
CREATE UNIQUE INDEX "aftercare_plan_approved_uq" ON "aftercare_plan" USING btree ("partnership_id","person_id") WHERE status = 'approved';--> statement-breakpoint
CREATE INDEX "budget_request_person_idx" ON "budget_request" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE INDEX "plan_need_plan_idx" ON "plan_need" USING btree ("partnership_id","plan_id","position");--> statement-breakpoint
CREATE INDEX "plan_service_plan_idx" ON "plan_service" USING btree ("partnership_id","plan_id","position");