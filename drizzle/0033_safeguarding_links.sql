CREATE TABLE "safeguarding_link" (
	"partnership_id" uuid NOT NULL,
	"concern_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"item_id" uuid NOT NULL,
	"linked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "safeguarding_link_partnership_id_concern_id_kind_item_id_pk" PRIMARY KEY("partnership_id","concern_id","kind","item_id"),
	CONSTRAINT "safeguarding_link_kind_check" CHECK ("safeguarding_link"."kind" in ('note', 'risk-assessment', 'plan'))
);
--> statement-breakpoint
ALTER TABLE "safeguarding_link" ADD CONSTRAINT "safeguarding_link_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_link" ADD CONSTRAINT "safeguarding_link_linked_by_app_user_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_link" ADD CONSTRAINT "safeguarding_link_partnership_id_concern_id_safeguarding_concern_partnership_id_id_fk" FOREIGN KEY ("partnership_id","concern_id") REFERENCES "public"."safeguarding_concern"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_link" ADD CONSTRAINT "safeguarding_link_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "safeguarding_link_person_idx" ON "safeguarding_link" USING btree ("partnership_id","person_id");--> statement-breakpoint
SELECT aftercare_enable_tenancy();