CREATE TABLE "best_interests_decision" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"capacity_assessment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"decided_on" date NOT NULL,
	"convened_by" text NOT NULL,
	"chaired_by" text DEFAULT '' NOT NULL,
	"person_wishes" text NOT NULL,
	"beliefs_values" text NOT NULL,
	"consulted" text DEFAULT '' NOT NULL,
	"no_one_to_consult" text DEFAULT 'no' NOT NULL,
	"options_considered" text NOT NULL,
	"least_restrictive" text NOT NULL,
	"decision" text NOT NULL,
	"reasons" text NOT NULL,
	"recorded_by" uuid,
	"recorded_for_organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "best_interests_decision_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "best_interests_kind_check" CHECK ("best_interests_decision"."kind" in ('meeting', 'decision')),
	CONSTRAINT "best_interests_no_one_check" CHECK ("best_interests_decision"."no_one_to_consult" in ('yes', 'no'))
);
--> statement-breakpoint
CREATE TABLE "capacity_assessment" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"topic" text NOT NULL,
	"decision" text DEFAULT '' NOT NULL,
	"assessed_at" timestamp with time zone,
	"relevant_information" text DEFAULT '' NOT NULL,
	"practicable_steps" text DEFAULT '' NOT NULL,
	"impairment" text,
	"impairment_detail" text DEFAULT '' NOT NULL,
	"causal_link" text,
	"causal_link_evidence" text DEFAULT '' NOT NULL,
	"understand" text,
	"understand_evidence" text DEFAULT '' NOT NULL,
	"retain" text,
	"retain_evidence" text DEFAULT '' NOT NULL,
	"use_or_weigh" text,
	"use_or_weigh_evidence" text DEFAULT '' NOT NULL,
	"communicate" text,
	"communicate_evidence" text DEFAULT '' NOT NULL,
	"executive_functioning" text DEFAULT '' NOT NULL,
	"outcome" text,
	"attached_kind" text,
	"attached_id" uuid,
	"assessed_by" uuid,
	"assessed_for_organisation_id" uuid,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "capacity_assessment_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "capacity_assessment_status_check" CHECK (("capacity_assessment"."status" = 'draft' and "capacity_assessment"."outcome" is null) or ("capacity_assessment"."status" = 'completed' and "capacity_assessment"."outcome" in ('has-capacity', 'lacks-capacity') and "capacity_assessment"."completed_at" is not null and "capacity_assessment"."assessed_at" is not null)),
	CONSTRAINT "capacity_assessment_attached_check" CHECK ("capacity_assessment"."attached_kind" is null or "capacity_assessment"."attached_kind" in ('need', 'plan', 'move', 'ending'))
);
--> statement-breakpoint
CREATE TABLE "capacity_settings" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"imca_report_days" integer NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imca_instruction" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"best_interests_id" uuid NOT NULL,
	"instructed_on" date NOT NULL,
	"service" text NOT NULL,
	"advocate" text NOT NULL,
	"instructed_by" uuid,
	"report_received_on" date,
	"report_summary" text,
	"report_recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "imca_instruction_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "imca_instruction_report_check" CHECK (("imca_instruction"."report_received_on" is null) = ("imca_instruction"."report_summary" is null))
);
--> statement-breakpoint
ALTER TABLE "best_interests_decision" ADD CONSTRAINT "best_interests_decision_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "best_interests_decision" ADD CONSTRAINT "best_interests_decision_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "best_interests_decision" ADD CONSTRAINT "best_interests_decision_recorded_for_organisation_id_organisation_id_fk" FOREIGN KEY ("recorded_for_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "best_interests_decision" ADD CONSTRAINT "best_interests_decision_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "best_interests_decision" ADD CONSTRAINT "best_interests_decision_partnership_id_capacity_assessment_id_capacity_assessment_partnership_id_id_fk" FOREIGN KEY ("partnership_id","capacity_assessment_id") REFERENCES "public"."capacity_assessment"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_assessment" ADD CONSTRAINT "capacity_assessment_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_assessment" ADD CONSTRAINT "capacity_assessment_assessed_by_app_user_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_assessment" ADD CONSTRAINT "capacity_assessment_assessed_for_organisation_id_organisation_id_fk" FOREIGN KEY ("assessed_for_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_assessment" ADD CONSTRAINT "capacity_assessment_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_settings" ADD CONSTRAINT "capacity_settings_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_settings" ADD CONSTRAINT "capacity_settings_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imca_instruction" ADD CONSTRAINT "imca_instruction_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imca_instruction" ADD CONSTRAINT "imca_instruction_instructed_by_app_user_id_fk" FOREIGN KEY ("instructed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imca_instruction" ADD CONSTRAINT "imca_instruction_report_recorded_by_app_user_id_fk" FOREIGN KEY ("report_recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imca_instruction" ADD CONSTRAINT "imca_instruction_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imca_instruction" ADD CONSTRAINT "imca_instruction_partnership_id_best_interests_id_best_interests_decision_partnership_id_id_fk" FOREIGN KEY ("partnership_id","best_interests_id") REFERENCES "public"."best_interests_decision"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "best_interests_person_idx" ON "best_interests_decision" USING btree ("partnership_id","person_id","decided_on");--> statement-breakpoint
CREATE INDEX "capacity_assessment_person_idx" ON "capacity_assessment" USING btree ("partnership_id","person_id","created_at");--> statement-breakpoint
CREATE INDEX "imca_instruction_person_idx" ON "imca_instruction" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE INDEX "imca_instruction_waiting_idx" ON "imca_instruction" USING btree ("partnership_id","instructed_by") WHERE report_received_on is null;--> statement-breakpoint
SELECT aftercare_enable_tenancy();
