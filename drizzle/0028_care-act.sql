CREATE TABLE "care_act_assessment" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"status" text NOT NULL,
	"assessed_on" date NOT NULL,
	"arises_from_impairment" boolean,
	"significant_impact" boolean,
	"outcomes" jsonb NOT NULL,
	"persons_view" text DEFAULT '' NOT NULL,
	"eligible" boolean,
	"assessed_by" uuid,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "care_act_assessment_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "care_act_assessment_status_check" CHECK ("care_act_assessment"."status" in ('draft', 'completed')),
	CONSTRAINT "care_act_assessment_completed_check" CHECK (("care_act_assessment"."status" = 'completed') = ("care_act_assessment"."eligible" is not null and "care_act_assessment"."completed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "financial_assessment" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"assessed_on" date NOT NULL,
	"weekly_contribution_pence" integer NOT NULL,
	"charges" jsonb NOT NULL,
	"charged_pence" integer NOT NULL,
	"not_charged_pence" integer NOT NULL,
	"assessed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "financial_assessment_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "financial_assessment_amounts_check" CHECK ("financial_assessment"."weekly_contribution_pence" >= 0 and "financial_assessment"."charged_pence" >= 0 and "financial_assessment"."not_charged_pence" >= 0 and "financial_assessment"."charged_pence" + "financial_assessment"."not_charged_pence" = "financial_assessment"."weekly_contribution_pence")
);
--> statement-breakpoint
ALTER TABLE "care_act_assessment" ADD CONSTRAINT "care_act_assessment_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_act_assessment" ADD CONSTRAINT "care_act_assessment_assessed_by_app_user_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_act_assessment" ADD CONSTRAINT "care_act_assessment_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financial_assessment" ADD CONSTRAINT "financial_assessment_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financial_assessment" ADD CONSTRAINT "financial_assessment_assessed_by_app_user_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financial_assessment" ADD CONSTRAINT "financial_assessment_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financial_assessment" ADD CONSTRAINT "financial_assessment_partnership_id_plan_id_aftercare_plan_partnership_id_id_fk" FOREIGN KEY ("partnership_id","plan_id") REFERENCES "public"."aftercare_plan"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_act_assessment_person_idx" ON "care_act_assessment" USING btree ("partnership_id","person_id","created_at");--> statement-breakpoint
CREATE INDEX "financial_assessment_person_idx" ON "financial_assessment" USING btree ("partnership_id","person_id","created_at");--> statement-breakpoint
SELECT aftercare_enable_tenancy();
