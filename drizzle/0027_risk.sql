CREATE TABLE "learning_review" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"trigger_id" uuid NOT NULL,
	"what_happened" text NOT NULL,
	"what_plan_said" text NOT NULL,
	"what_changes" text NOT NULL,
	"completed_by" uuid,
	"completed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "learning_review_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "learning_review_trigger_check" CHECK ("learning_review"."trigger" in ('readmission', 'crisis'))
);
--> statement-breakpoint
CREATE TABLE "risk_assessment" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"risk_to_self" text NOT NULL,
	"risk_to_others" text NOT NULL,
	"risk_from_others" text NOT NULL,
	"self_neglect" text NOT NULL,
	"relapse_signs" text NOT NULL,
	"protective_factors" text NOT NULL,
	"persons_view" text NOT NULL,
	"formulation" text NOT NULL,
	"positive_risk_plan" text NOT NULL,
	"level" text NOT NULL,
	"review_on" date NOT NULL,
	"assessed_on" date NOT NULL,
	"assessed_by" uuid,
	"assessed_for_organisation_id" uuid,
	"superseded_at" timestamp with time zone,
	"superseded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "risk_assessment_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "risk_assessment_level_check" CHECK ("risk_assessment"."level" in ('low', 'medium', 'high'))
);
--> statement-breakpoint
CREATE TABLE "risk_escalation" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"from_level" text,
	"to_level" text,
	"assessment_id" uuid,
	"case_note_id" uuid,
	"raised_by" uuid,
	"raised_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"outcome_detail" text,
	"outcome_by" uuid,
	"outcome_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "risk_escalation_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "risk_escalation_status_check" CHECK (("risk_escalation"."status" = 'open' and "risk_escalation"."outcome" is null) or ("risk_escalation"."status" = 'closed' and "risk_escalation"."outcome" is not null and "risk_escalation"."outcome_at" is not null)),
	CONSTRAINT "risk_escalation_reason_check" CHECK ("risk_escalation"."reason" in ('level-rose', 'significant-event'))
);
--> statement-breakpoint
CREATE TABLE "risk_settings" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"low_definition" text NOT NULL,
	"medium_definition" text NOT NULL,
	"high_definition" text NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learning_review" ADD CONSTRAINT "learning_review_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_review" ADD CONSTRAINT "learning_review_completed_by_app_user_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_review" ADD CONSTRAINT "learning_review_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_assessment" ADD CONSTRAINT "risk_assessment_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_assessment" ADD CONSTRAINT "risk_assessment_assessed_by_app_user_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_assessment" ADD CONSTRAINT "risk_assessment_assessed_for_organisation_id_organisation_id_fk" FOREIGN KEY ("assessed_for_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_assessment" ADD CONSTRAINT "risk_assessment_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_escalation" ADD CONSTRAINT "risk_escalation_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_escalation" ADD CONSTRAINT "risk_escalation_raised_by_app_user_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_escalation" ADD CONSTRAINT "risk_escalation_outcome_by_app_user_id_fk" FOREIGN KEY ("outcome_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_escalation" ADD CONSTRAINT "risk_escalation_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_settings" ADD CONSTRAINT "risk_settings_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_settings" ADD CONSTRAINT "risk_settings_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "learning_review_trigger_uq" ON "learning_review" USING btree ("partnership_id","trigger_id");--> statement-breakpoint
CREATE INDEX "learning_review_person_idx" ON "learning_review" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE INDEX "risk_assessment_person_idx" ON "risk_assessment" USING btree ("partnership_id","person_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_assessment_current_uq" ON "risk_assessment" USING btree ("partnership_id","person_id") WHERE superseded_at is null;--> statement-breakpoint
CREATE INDEX "risk_escalation_person_idx" ON "risk_escalation" USING btree ("partnership_id","person_id","raised_at");--> statement-breakpoint
CREATE INDEX "risk_escalation_open_idx" ON "risk_escalation" USING btree ("partnership_id","status");--> statement-breakpoint
-- Issue #15, item 4: risk assessments, escalations, learning reviews and the level definitions are
-- tenant tables, so row-level security like every other table of partnership data (decision 0006).
SELECT aftercare_enable_tenancy();
