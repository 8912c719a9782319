ALTER TABLE "ending_proposal" ADD COLUMN "legal_override" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ending_proposal" ADD COLUMN "legal_override_note" text;