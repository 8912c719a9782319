ALTER TABLE "task" ADD COLUMN "owner_team_id" uuid;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "snoozed_until" date;--> statement-breakpoint
ALTER TABLE "task" ADD COLUMN "snooze_reason" text;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_partnership_id_owner_team_id_team_partnership_id_id_fk" FOREIGN KEY ("partnership_id","owner_team_id") REFERENCES "public"."team"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_owner_user_idx" ON "task" USING btree ("partnership_id","owner_user_id","status");