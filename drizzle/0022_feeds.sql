CREATE TABLE "webhook_attempt" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"notification_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "webhook_attempt_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "webhook_subscription" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"event_types" text[] NOT NULL,
	"secret_encrypted" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "webhook_subscription_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
CREATE TABLE "finance_feed_file" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"feed_date" date NOT NULL,
	"filename" text NOT NULL,
	"content" text NOT NULL,
	"row_count" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finance_feed_file_partnership_id_id_pk" PRIMARY KEY("partnership_id","id")
);
--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "webhook_subscription_id" uuid;--> statement-breakpoint
ALTER TABLE "notification" ADD COLUMN "last_status_code" integer;--> statement-breakpoint
ALTER TABLE "webhook_attempt" ADD CONSTRAINT "webhook_attempt_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscription" ADD CONSTRAINT "webhook_subscription_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscription" ADD CONSTRAINT "webhook_subscription_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_feed_file" ADD CONSTRAINT "finance_feed_file_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_feed_file" ADD CONSTRAINT "finance_feed_file_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_attempt_notification_idx" ON "webhook_attempt" USING btree ("partnership_id","notification_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "finance_feed_file_date_uq" ON "finance_feed_file" USING btree ("partnership_id","feed_date");--> statement-breakpoint
-- The new partnership tables get row-level security like every other (migration 0009).
SELECT aftercare_enable_tenancy();
