CREATE TYPE "public"."dispute_kind" AS ENUM('ordinary-residence', 'funding');--> statement-breakpoint
CREATE TYPE "public"."dispute_stage" AS ENUM('local-negotiation', 'senior-escalation', 'sos-referral', 'nhs-dispute-process', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."body_decision" AS ENUM('approved', 'declined');--> statement-breakpoint
CREATE TYPE "public"."ending_kind" AS ENUM('ending', 'reinstatement');--> statement-breakpoint
CREATE TYPE "public"."ending_status" AS ENUM('proposed', 'declined', 'withdrawn', 'recorded');--> statement-breakpoint
CREATE TYPE "public"."panel_case_status" AS ENUM('submitted', 'listed', 'decided', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."panel_decision" AS ENUM('approved', 'approved-with-changes', 'deferred', 'declined');--> statement-breakpoint
CREATE TYPE "public"."panel_meeting_status" AS ENUM('planned', 'held', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."meeting_kind" AS ENUM('review', 'mdt');--> statement-breakpoint
CREATE TYPE "public"."notification_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."review_status" AS ENUM('scheduled', 'completed', 'cancelled');--> statement-breakpoint
CREATE TABLE "dispute" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" "dispute_kind" NOT NULL,
	"party_a_organisation_id" uuid NOT NULL,
	"party_b_organisation_id" uuid NOT NULL,
	"arose_on" date NOT NULL,
	"interim_lead_organisation_id" uuid NOT NULL,
	"stage" "dispute_stage" DEFAULT 'local-negotiation' NOT NULL,
	"stage_changed_on" date NOT NULL,
	"referred_on" date,
	"summary" text NOT NULL,
	"outcome" text,
	"resolved_on" date,
	"responsible_organisation_id" uuid,
	"back_payment_pence" integer,
	"back_payment_from_organisation_id" uuid,
	"back_payment_to_organisation_id" uuid,
	"opened_event_id" uuid,
	"resolved_event_id" uuid,
	"created_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "dispute_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "ending_proposal" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" "ending_kind" DEFAULT 'ending' NOT NULL,
	"status" "ending_status" DEFAULT 'proposed' NOT NULL,
	"effective_on" date NOT NULL,
	"reason_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"reasons" text NOT NULL,
	"person_involved" boolean NOT NULL,
	"person_view" text,
	"other_care_plan" text,
	"checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"proposed_by" uuid,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"la_decision" "body_decision",
	"la_decided_by" uuid,
	"la_organisation_id" uuid,
	"la_decided_at" timestamp with time zone,
	"la_reason" text,
	"icb_decision" "body_decision",
	"icb_decided_by" uuid,
	"icb_organisation_id" uuid,
	"icb_decided_at" timestamp with time zone,
	"icb_reason" text,
	"legal_event_id" uuid,
	"recorded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "ending_proposal_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "panel_case" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"meeting_id" uuid,
	"status" "panel_case_status" DEFAULT 'submitted' NOT NULL,
	"summary" text NOT NULL,
	"proposed_la_basis_points" integer NOT NULL,
	"proposed_basis" text NOT NULL,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decision" "panel_decision",
	"decision_reasons" text,
	"conditions" text,
	"decided_la_basis_points" integer,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "panel_case_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "panel_meeting" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"meets_on" date NOT NULL,
	"location" text,
	"agenda" text,
	"status" "panel_meeting_status" DEFAULT 'planned' NOT NULL,
	"present_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "panel_meeting_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "meeting" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" "meeting_kind" NOT NULL,
	"review_id" uuid,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer DEFAULT 60 NOT NULL,
	"location" text,
	"attendees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"discussion" text,
	"decisions" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "meeting_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "meeting_action" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"description" text NOT NULL,
	"owner_user_id" uuid,
	"owner_name" text,
	"due_on" date,
	"done" boolean DEFAULT false NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "meeting_action_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"dedupe_key" text NOT NULL,
	"kind" text NOT NULL,
	"recipient_user_id" uuid,
	"recipient_email" text,
	"person_id" uuid,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"channel" text NOT NULL,
	"status" "notification_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "review" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"plan_id" uuid,
	"due_on" date,
	"held_on" date,
	"status" "review_status" DEFAULT 'scheduled' NOT NULL,
	"attendees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"goal_outcomes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"needs_changed" boolean,
	"new_plan_id" uuid,
	"s117_still_applies" boolean,
	"s117_reasons" text,
	"risk_update" text,
	"contingency_update" text,
	"person_view" text,
	"next_review_on" date,
	"legal_event_id" uuid,
	"completed_by" uuid,
	"completed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "review_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
ALTER TABLE "plan_settings" ADD COLUMN "first_review_weeks" integer DEFAULT 6 NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_settings" ADD COLUMN "review_interval_months" integer DEFAULT 12 NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_settings" ADD COLUMN "reminder_days_before" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_party_a_organisation_id_organisation_id_fk" FOREIGN KEY ("party_a_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_party_b_organisation_id_organisation_id_fk" FOREIGN KEY ("party_b_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_interim_lead_organisation_id_organisation_id_fk" FOREIGN KEY ("interim_lead_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_responsible_organisation_id_organisation_id_fk" FOREIGN KEY ("responsible_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_back_payment_from_organisation_id_organisation_id_fk" FOREIGN KEY ("back_payment_from_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_back_payment_to_organisation_id_organisation_id_fk" FOREIGN KEY ("back_payment_to_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ending_proposal" ADD CONSTRAINT "ending_proposal_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ending_proposal" ADD CONSTRAINT "ending_proposal_proposed_by_app_user_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ending_proposal" ADD CONSTRAINT "ending_proposal_la_decided_by_app_user_id_fk" FOREIGN KEY ("la_decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ending_proposal" ADD CONSTRAINT "ending_proposal_la_organisation_id_organisation_id_fk" FOREIGN KEY ("la_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ending_proposal" ADD CONSTRAINT "ending_proposal_icb_decided_by_app_user_id_fk" FOREIGN KEY ("icb_decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ending_proposal" ADD CONSTRAINT "ending_proposal_icb_organisation_id_organisation_id_fk" FOREIGN KEY ("icb_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ending_proposal" ADD CONSTRAINT "ending_proposal_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_case" ADD CONSTRAINT "panel_case_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_case" ADD CONSTRAINT "panel_case_submitted_by_app_user_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_case" ADD CONSTRAINT "panel_case_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_case" ADD CONSTRAINT "panel_case_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_meeting" ADD CONSTRAINT "panel_meeting_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_meeting" ADD CONSTRAINT "panel_meeting_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_action" ADD CONSTRAINT "meeting_action_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_action" ADD CONSTRAINT "meeting_action_owner_user_id_app_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_action" ADD CONSTRAINT "meeting_action_partnership_id_meeting_id_meeting_partnership_id_id_fk" FOREIGN KEY ("partnership_id","meeting_id") REFERENCES "public"."meeting"("partnership_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_recipient_user_id_app_user_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_completed_by_app_user_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review" ADD CONSTRAINT "review_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dispute_person_idx" ON "dispute" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE INDEX "dispute_open_idx" ON "dispute" USING btree ("partnership_id","stage","arose_on");--> statement-breakpoint
CREATE INDEX "ending_proposal_person_idx" ON "ending_proposal" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ending_proposal_open_uq" ON "ending_proposal" USING btree ("partnership_id","person_id") WHERE status = 'proposed';--> statement-breakpoint
CREATE INDEX "panel_case_person_idx" ON "panel_case" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE INDEX "panel_case_meeting_idx" ON "panel_case" USING btree ("partnership_id","meeting_id");--> statement-breakpoint
CREATE INDEX "panel_meeting_date_idx" ON "panel_meeting" USING btree ("partnership_id","meets_on");--> statement-breakpoint
CREATE INDEX "meeting_person_idx" ON "meeting" USING btree ("partnership_id","person_id","starts_at");--> statement-breakpoint
CREATE INDEX "meeting_action_meeting_idx" ON "meeting_action" USING btree ("partnership_id","meeting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_dedupe_uq" ON "notification" USING btree ("partnership_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "notification_due_idx" ON "notification" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notification_recipient_idx" ON "notification" USING btree ("partnership_id","recipient_user_id","created_at");--> statement-breakpoint
CREATE INDEX "review_person_idx" ON "review" USING btree ("partnership_id","person_id","due_on");