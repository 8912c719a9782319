CREATE TABLE "liberty_authorisation" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"consideration_id" uuid,
	"basis" text NOT NULL,
	"setting" text NOT NULL,
	"place" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"requested_on" date NOT NULL,
	"urgent_given_on" date,
	"urgent_ends_on" date,
	"urgent_extended_to" date,
	"assessments_done" text[] DEFAULT '{}'::text[] NOT NULL,
	"assessments_completed_on" date,
	"issued_on" date,
	"outcome" text,
	"decided_on" date,
	"starts_on" date,
	"ends_on" date,
	"review_on" date,
	"representative" text DEFAULT '' NOT NULL,
	"conditions" text DEFAULT '' NOT NULL,
	"documents" text DEFAULT '' NOT NULL,
	"responsible_user_id" uuid,
	"recorded_for_organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "liberty_authorisation_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "liberty_authorisation_basis_check" CHECK ("liberty_authorisation"."basis" in ('mca-schedule-a1', 'mca-s16-order')),
	CONSTRAINT "liberty_authorisation_outcome_check" CHECK ("liberty_authorisation"."outcome" is null or "liberty_authorisation"."outcome" in ('granted', 'refused'))
);
--> statement-breakpoint
CREATE TABLE "liberty_challenge" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"authorisation_id" uuid NOT NULL,
	"applied_on" date NOT NULL,
	"applicant" text NOT NULL,
	"directions_on" date,
	"hearing_on" date,
	"outcome" text,
	"outcome_on" date,
	"notes" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "liberty_challenge_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "liberty_challenge_outcome_check" CHECK ("liberty_challenge"."outcome" is null or "liberty_challenge"."outcome" in ('confirmed', 'varied', 'terminated'))
);
--> statement-breakpoint
CREATE TABLE "liberty_consideration" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"plan_id" uuid,
	"considered_on" date NOT NULL,
	"setting" text NOT NULL,
	"supervision_and_control" text NOT NULL,
	"free_to_leave" text NOT NULL,
	"capacity_to_consent" text NOT NULL,
	"capacity_assessment_id" uuid,
	"outcome" text NOT NULL,
	"arrangements" text NOT NULL,
	"recorded_by" uuid,
	"recorded_for_organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "liberty_consideration_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "liberty_consideration_answers_check" CHECK ("liberty_consideration"."supervision_and_control" in ('yes', 'no') and "liberty_consideration"."free_to_leave" in ('yes', 'no') and "liberty_consideration"."capacity_to_consent" in ('lacks', 'has', 'not-assessed') and "liberty_consideration"."outcome" in ('is', 'may-be', 'is-not'))
);
--> statement-breakpoint
CREATE TABLE "liberty_settings" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"renewal_days" integer NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "liberty_authorisation" ADD CONSTRAINT "liberty_authorisation_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_authorisation" ADD CONSTRAINT "liberty_authorisation_responsible_user_id_app_user_id_fk" FOREIGN KEY ("responsible_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_authorisation" ADD CONSTRAINT "liberty_authorisation_recorded_for_organisation_id_organisation_id_fk" FOREIGN KEY ("recorded_for_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_authorisation" ADD CONSTRAINT "liberty_authorisation_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_authorisation" ADD CONSTRAINT "liberty_authorisation_partnership_id_consideration_id_liberty_consideration_partnership_id_id_fk" FOREIGN KEY ("partnership_id","consideration_id") REFERENCES "public"."liberty_consideration"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_challenge" ADD CONSTRAINT "liberty_challenge_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_challenge" ADD CONSTRAINT "liberty_challenge_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_challenge" ADD CONSTRAINT "liberty_challenge_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_challenge" ADD CONSTRAINT "liberty_challenge_partnership_id_authorisation_id_liberty_authorisation_partnership_id_id_fk" FOREIGN KEY ("partnership_id","authorisation_id") REFERENCES "public"."liberty_authorisation"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_consideration" ADD CONSTRAINT "liberty_consideration_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_consideration" ADD CONSTRAINT "liberty_consideration_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_consideration" ADD CONSTRAINT "liberty_consideration_recorded_for_organisation_id_organisation_id_fk" FOREIGN KEY ("recorded_for_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_consideration" ADD CONSTRAINT "liberty_consideration_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_settings" ADD CONSTRAINT "liberty_settings_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liberty_settings" ADD CONSTRAINT "liberty_settings_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "liberty_authorisation_person_idx" ON "liberty_authorisation" USING btree ("partnership_id","person_id","requested_on");--> statement-breakpoint
CREATE INDEX "liberty_challenge_person_idx" ON "liberty_challenge" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE INDEX "liberty_consideration_person_idx" ON "liberty_consideration" USING btree ("partnership_id","person_id","considered_on");--> statement-breakpoint
-- Issue 16, item 4: deprivation of liberty tables are tenant tables (row-level security, decision 0006).
SELECT aftercare_enable_tenancy();
