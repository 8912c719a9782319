CREATE TABLE "advocacy_referral" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"referred_on" date NOT NULL,
	"accepted_on" date,
	"advocate_named_on" date,
	"first_met_on" date,
	"advocate_name" text,
	"service" text NOT NULL,
	"notes" text,
	"referred_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "advocacy_referral_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "advocacy_referral_kind_check" CHECK ("advocacy_referral"."kind" in ('imha', 'imca', 'care-act')),
	CONSTRAINT "advocacy_referral_order_check" CHECK (("advocacy_referral"."accepted_on" is null or "advocacy_referral"."accepted_on" >= "advocacy_referral"."referred_on") and ("advocacy_referral"."advocate_named_on" is null or ("advocacy_referral"."accepted_on" is not null and "advocacy_referral"."advocate_named_on" >= "advocacy_referral"."accepted_on" and "advocacy_referral"."advocate_name" is not null)) and ("advocacy_referral"."first_met_on" is null or ("advocacy_referral"."advocate_named_on" is not null and "advocacy_referral"."first_met_on" >= "advocacy_referral"."advocate_named_on")))
);
--> statement-breakpoint
CREATE TABLE "carer" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"email" text,
	"address" text,
	"consent_to_share" boolean NOT NULL,
	"consent_recorded_on" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "carer_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "carer_assessment" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"carer_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"offered_at" text NOT NULL,
	"offered_on" date NOT NULL,
	"offered_by" uuid,
	"accepted_on" date,
	"declined_on" date,
	"completed_on" date,
	"completed_by" uuid,
	"needs_arise_from_caring" boolean,
	"health_at_risk" boolean,
	"outcomes_not_achieved" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"significant_impact" boolean,
	"eligible" boolean,
	"summary" text,
	"support_what" text,
	"support_who" text,
	"review_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "carer_assessment_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "carer_assessment_offered_at_check" CHECK ("carer_assessment"."offered_at" in ('discharge', 'review', 'other')),
	CONSTRAINT "carer_assessment_answer_check" CHECK (not ("carer_assessment"."accepted_on" is not null and "carer_assessment"."declined_on" is not null)),
	CONSTRAINT "carer_assessment_order_check" CHECK (("carer_assessment"."accepted_on" is null or "carer_assessment"."accepted_on" >= "carer_assessment"."offered_on") and ("carer_assessment"."declined_on" is null or "carer_assessment"."declined_on" >= "carer_assessment"."offered_on") and ("carer_assessment"."completed_on" is null or ("carer_assessment"."accepted_on" is not null and "carer_assessment"."completed_on" >= "carer_assessment"."accepted_on"))),
	CONSTRAINT "carer_assessment_completed_check" CHECK ("carer_assessment"."completed_on" is null or ("carer_assessment"."eligible" is not null and "carer_assessment"."review_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "carer_link" (
	"partnership_id" uuid NOT NULL,
	"carer_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"relationship" text NOT NULL,
	"linked_on" date NOT NULL,
	"linked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "carer_link_partnership_id_carer_id_person_id_pk" PRIMARY KEY("partnership_id","carer_id","person_id")
);
--> statement-breakpoint
ALTER TABLE "advocacy_referral" ADD CONSTRAINT "advocacy_referral_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocacy_referral" ADD CONSTRAINT "advocacy_referral_referred_by_app_user_id_fk" FOREIGN KEY ("referred_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advocacy_referral" ADD CONSTRAINT "advocacy_referral_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer" ADD CONSTRAINT "carer_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer" ADD CONSTRAINT "carer_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_assessment" ADD CONSTRAINT "carer_assessment_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_assessment" ADD CONSTRAINT "carer_assessment_offered_by_app_user_id_fk" FOREIGN KEY ("offered_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_assessment" ADD CONSTRAINT "carer_assessment_completed_by_app_user_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_assessment" ADD CONSTRAINT "carer_assessment_partnership_id_carer_id_carer_partnership_id_id_fk" FOREIGN KEY ("partnership_id","carer_id") REFERENCES "public"."carer"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_assessment" ADD CONSTRAINT "carer_assessment_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_link" ADD CONSTRAINT "carer_link_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_link" ADD CONSTRAINT "carer_link_linked_by_app_user_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_link" ADD CONSTRAINT "carer_link_partnership_id_carer_id_carer_partnership_id_id_fk" FOREIGN KEY ("partnership_id","carer_id") REFERENCES "public"."carer"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carer_link" ADD CONSTRAINT "carer_link_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advocacy_referral_person_idx" ON "advocacy_referral" USING btree ("partnership_id","person_id","referred_on");--> statement-breakpoint
CREATE INDEX "carer_assessment_carer_idx" ON "carer_assessment" USING btree ("partnership_id","carer_id","offered_on");--> statement-breakpoint
CREATE INDEX "carer_assessment_person_idx" ON "carer_assessment" USING btree ("partnership_id","person_id");--> statement-breakpoint
CREATE INDEX "carer_link_person_idx" ON "carer_link" USING btree ("partnership_id","person_id");--> statement-breakpoint
SELECT aftercare_enable_tenancy();
