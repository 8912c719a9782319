CREATE TABLE "protection_meeting" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"held_on" date NOT NULL,
	"outcome" text NOT NULL,
	"next_on" date,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protection_meeting_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "protection_meeting_kind_check" CHECK ("protection_meeting"."kind" in ('child-protection', 'mappa', 'marac'))
);
--> statement-breakpoint
CREATE TABLE "safeguarding_concern" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"categories" text[] NOT NULL,
	"reported_by" text NOT NULL,
	"risk_source" text NOT NULL,
	"location" text NOT NULL,
	"raised_on" date NOT NULL,
	"concern" text NOT NULL,
	"person_asked" boolean NOT NULL,
	"persons_views" text NOT NULL,
	"desired_outcomes" text NOT NULL,
	"raised_by" uuid,
	"raised_for_organisation_id" uuid,
	"status" text DEFAULT 'awaiting-decision' NOT NULL,
	"decision_due_on" date NOT NULL,
	"needs_care_and_support" text,
	"experiencing_abuse" text,
	"unable_to_protect" text,
	"decision" text,
	"decision_reason" text,
	"decided_by" uuid,
	"decided_on" date,
	"enquiry_lead_id" uuid,
	"enquiry_started_on" date,
	"protection_plan" text,
	"protection_plan_review_on" date,
	"outcome" text,
	"outcomes_achieved" text,
	"outcome_detail" text,
	"concluded_on" date,
	"concluded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "safeguarding_concern_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "safeguarding_concern_status_check" CHECK ("safeguarding_concern"."status" in ('awaiting-decision', 'enquiry', 'closed')),
	CONSTRAINT "safeguarding_concern_categories_check" CHECK (cardinality("safeguarding_concern"."categories") > 0),
	CONSTRAINT "safeguarding_concern_decision_check" CHECK ("safeguarding_concern"."decision" is null or ("safeguarding_concern"."decision" = 'met' and "safeguarding_concern"."needs_care_and_support" = 'yes' and "safeguarding_concern"."experiencing_abuse" = 'yes' and "safeguarding_concern"."unable_to_protect" = 'yes') or ("safeguarding_concern"."decision" = 'not-met' and 'no' in ("safeguarding_concern"."needs_care_and_support", "safeguarding_concern"."experiencing_abuse", "safeguarding_concern"."unable_to_protect"))),
	CONSTRAINT "safeguarding_concern_outcome_check" CHECK ("safeguarding_concern"."outcome" is null or "safeguarding_concern"."outcome" in ('removed', 'reduced', 'remains'))
);
--> statement-breakpoint
CREATE TABLE "safeguarding_enquiry_record" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"concern_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"held_on" date NOT NULL,
	"who" text NOT NULL,
	"detail" text NOT NULL,
	"due_on" date,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "safeguarding_enquiry_record_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "safeguarding_enquiry_record_kind_check" CHECK ("safeguarding_enquiry_record"."kind" in ('strategy-discussion', 'strategy-meeting', 'action'))
);
--> statement-breakpoint
CREATE TABLE "safeguarding_settings" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"restricted_roles" text[] NOT NULL,
	"decision_working_days" integer NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "safeguarding_settings_days_check" CHECK ("safeguarding_settings"."decision_working_days" between 1 and 28)
);
--> statement-breakpoint
ALTER TABLE "protection_meeting" ADD CONSTRAINT "protection_meeting_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_meeting" ADD CONSTRAINT "protection_meeting_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protection_meeting" ADD CONSTRAINT "protection_meeting_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concern" ADD CONSTRAINT "safeguarding_concern_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concern" ADD CONSTRAINT "safeguarding_concern_raised_by_app_user_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concern" ADD CONSTRAINT "safeguarding_concern_raised_for_organisation_id_organisation_id_fk" FOREIGN KEY ("raised_for_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concern" ADD CONSTRAINT "safeguarding_concern_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concern" ADD CONSTRAINT "safeguarding_concern_enquiry_lead_id_app_user_id_fk" FOREIGN KEY ("enquiry_lead_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concern" ADD CONSTRAINT "safeguarding_concern_concluded_by_app_user_id_fk" FOREIGN KEY ("concluded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concern" ADD CONSTRAINT "safeguarding_concern_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_enquiry_record" ADD CONSTRAINT "safeguarding_enquiry_record_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_enquiry_record" ADD CONSTRAINT "safeguarding_enquiry_record_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_enquiry_record" ADD CONSTRAINT "safeguarding_enquiry_record_partnership_id_concern_id_safeguarding_concern_partnership_id_id_fk" FOREIGN KEY ("partnership_id","concern_id") REFERENCES "public"."safeguarding_concern"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_enquiry_record" ADD CONSTRAINT "safeguarding_enquiry_record_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_settings" ADD CONSTRAINT "safeguarding_settings_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_settings" ADD CONSTRAINT "safeguarding_settings_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "protection_meeting_person_idx" ON "protection_meeting" USING btree ("partnership_id","person_id","held_on");--> statement-breakpoint
CREATE INDEX "safeguarding_concern_person_idx" ON "safeguarding_concern" USING btree ("partnership_id","person_id","raised_on");--> statement-breakpoint
CREATE INDEX "safeguarding_concern_status_idx" ON "safeguarding_concern" USING btree ("partnership_id","status");--> statement-breakpoint
CREATE INDEX "safeguarding_enquiry_record_concern_idx" ON "safeguarding_enquiry_record" USING btree ("partnership_id","concern_id","held_on");--> statement-breakpoint
CREATE INDEX "safeguarding_enquiry_record_person_idx" ON "safeguarding_enquiry_record" USING btree ("partnership_id","person_id");--> statement-breakpoint
SELECT aftercare_enable_tenancy();
