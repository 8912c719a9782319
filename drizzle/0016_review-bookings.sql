CREATE TYPE "public"."review_booking_status" AS ENUM('booked', 'held', 'cancelled');--> statement-breakpoint
CREATE TABLE "review_booking" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"review_id" uuid,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer DEFAULT 60 NOT NULL,
	"place" text,
	"video_link" text,
	"invitees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" "review_booking_status" DEFAULT 'booked' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"held_review_id" uuid,
	"cancelled_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "review_booking_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
ALTER TABLE "review_booking" ADD CONSTRAINT "review_booking_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_booking" ADD CONSTRAINT "review_booking_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_booking" ADD CONSTRAINT "review_booking_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_booking_person_idx" ON "review_booking" USING btree ("partnership_id","person_id","starts_at");--> statement-breakpoint
-- The new partnership table gets row-level security like every other (migration 0009).
SELECT aftercare_enable_tenancy();
