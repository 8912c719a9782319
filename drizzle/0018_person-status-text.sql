-- The entitlement status as text with a check (docs/decisions/0006): text = is leakproof, so under
-- row-level security `status = 'entitled'` can be an index condition; the enum's = cannot.
ALTER TABLE "person" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "person" ALTER COLUMN "status" SET DATA TYPE text USING "status"::text;--> statement-breakpoint
ALTER TABLE "person" ALTER COLUMN "status" SET DEFAULT 'not-entitled';--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_status_check" CHECK ("person"."status" in ('not-entitled', 'pending', 'entitled', 'ended', 'manual-review'));--> statement-breakpoint
DROP TYPE "public"."entitlement_status";
