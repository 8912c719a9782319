CREATE TABLE "case_note" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"type" text NOT NULL,
	"contact_at" timestamp with time zone NOT NULL,
	"present" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"significant" boolean DEFAULT false NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"restricted_reason" text,
	"linked_kind" text,
	"linked_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"finished_at" timestamp with time zone,
	"author_user_id" uuid,
	"author_organisation_id" uuid,
	"corrections" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "case_note_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "case_note_status_check" CHECK (("case_note"."status" = 'draft' and "case_note"."finished_at" is null) or ("case_note"."status" = 'finished' and "case_note"."finished_at" is not null)),
	CONSTRAINT "case_note_link_check" CHECK (("case_note"."linked_kind" is null and "case_note"."linked_id" is null) or ("case_note"."linked_kind" in ('plan', 'review', 'meeting', 'task') and "case_note"."linked_id" is not null)),
	CONSTRAINT "case_note_restricted_check" CHECK ("case_note"."restricted" = false or "case_note"."restricted_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "case_note_settings" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"restricted_roles" text[] NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_note_version" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"note_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"note_version" integer NOT NULL,
	"type" text NOT NULL,
	"contact_at" timestamp with time zone NOT NULL,
	"present" text NOT NULL,
	"body" text NOT NULL,
	"significant" boolean NOT NULL,
	"restricted" boolean NOT NULL,
	"restricted_reason" text,
	"linked_kind" text,
	"linked_id" uuid,
	"author_user_id" uuid,
	"replaced_by" uuid,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_note_version_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
ALTER TABLE "case_note" ADD CONSTRAINT "case_note_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note" ADD CONSTRAINT "case_note_author_user_id_app_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note" ADD CONSTRAINT "case_note_author_organisation_id_organisation_id_fk" FOREIGN KEY ("author_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note" ADD CONSTRAINT "case_note_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note_settings" ADD CONSTRAINT "case_note_settings_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note_settings" ADD CONSTRAINT "case_note_settings_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note_version" ADD CONSTRAINT "case_note_version_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note_version" ADD CONSTRAINT "case_note_version_author_user_id_app_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note_version" ADD CONSTRAINT "case_note_version_replaced_by_app_user_id_fk" FOREIGN KEY ("replaced_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note_version" ADD CONSTRAINT "case_note_version_partnership_id_note_id_case_note_partnership_id_id_fk" FOREIGN KEY ("partnership_id","note_id") REFERENCES "public"."case_note"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_note_version" ADD CONSTRAINT "case_note_version_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_note_person_idx" ON "case_note" USING btree ("partnership_id","person_id","contact_at");--> statement-breakpoint
CREATE INDEX "case_note_version_note_idx" ON "case_note_version" USING btree ("partnership_id","note_id","note_version");--> statement-breakpoint
-- Issue #15, item 1: case notes, their earlier versions and the restricted-note setting are tenant
-- tables, so row-level security like every other table of partnership data (decision 0006).
SELECT aftercare_enable_tenancy();
