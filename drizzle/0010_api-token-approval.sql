ALTER TABLE "api_token" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_token" ADD COLUMN "approved_by" uuid;--> statement-breakpoint
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_approved_by_app_user_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Tokens created before approval existed keep working (they were issued under the old rule;
-- administrators can review and revoke them on each organisation's API tokens page).
UPDATE "api_token" SET "approved_at" = "created_at" WHERE "approved_at" IS NULL;
