CREATE TABLE "uploaded_blob" (
	"partnership_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uploaded_blob_partnership_id_sha256_pk" PRIMARY KEY("partnership_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "uploaded_document" (
	"partnership_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"category" text NOT NULL,
	"document_date" date NOT NULL,
	"author" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"file_name" text NOT NULL,
	"file_kind" text NOT NULL,
	"media_type" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"status" text NOT NULL,
	"scanned_by" text NOT NULL,
	"scan_finding" text,
	"uploaded_by" uuid,
	"uploaded_by_organisation_id" uuid,
	"uploaded_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "uploaded_document_partnership_id_id_pk" PRIMARY KEY("partnership_id","id"),
	CONSTRAINT "uploaded_document_status_check" CHECK ("uploaded_document"."status" in ('available', 'quarantined')),
	CONSTRAINT "uploaded_document_finding_check" CHECK (("uploaded_document"."status" = 'quarantined') = ("uploaded_document"."scan_finding" is not null))
);
--> statement-breakpoint
ALTER TABLE "uploaded_blob" ADD CONSTRAINT "uploaded_blob_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploaded_document" ADD CONSTRAINT "uploaded_document_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploaded_document" ADD CONSTRAINT "uploaded_document_uploaded_by_app_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploaded_document" ADD CONSTRAINT "uploaded_document_uploaded_by_organisation_id_organisation_id_fk" FOREIGN KEY ("uploaded_by_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploaded_document" ADD CONSTRAINT "uploaded_document_partnership_id_person_id_person_partnership_id_id_fk" FOREIGN KEY ("partnership_id","person_id") REFERENCES "public"."person"("partnership_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "uploaded_document_person_idx" ON "uploaded_document" USING btree ("partnership_id","person_id","created_at");--> statement-breakpoint
CREATE INDEX "uploaded_document_sha256_idx" ON "uploaded_document" USING btree ("partnership_id","sha256");--> statement-breakpoint
-- Issue 15, item 3: uploaded documents and their blobs are tenant tables, under row-level
-- security like every other table of partnership data (decision 0006).
SELECT aftercare_enable_tenancy();
