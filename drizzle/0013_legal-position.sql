-- Issue #13, item 7 (status that matters, visible): where each person stands under the Act now
-- (on a CTO, conditionally discharged, recalled, in hospital), derived from the legal history
-- whenever the decision is stored (src/domain/rules/legal-position.ts), for the person header and
-- the register's "Legal status" filter. A GIN index serves the filter, as person_involved_idx does.
ALTER TABLE "person" ADD COLUMN "legal_position" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "person_legal_position_idx" ON "person" USING gin ("legal_position");--> statement-breakpoint
-- Backfill: the position is worked out by the rules' reading of the history, which SQL cannot
-- repeat, so everyone whose history could place them in one (anyone ever detained or admitted) is
-- marked for the daily re-evaluation (refresh.ts), which stores it within the next hourly runs.
UPDATE "person" SET "decided_on" = NULL WHERE EXISTS (
  SELECT 1 FROM "legal_event" e
  WHERE e."partnership_id" = "person"."partnership_id" AND e."person_id" = "person"."id" AND e."voided_at" IS NULL
    AND e."type" IN ('detention-started', 'admitted-informally')
);
