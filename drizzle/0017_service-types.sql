CREATE TABLE "partnership_service_type" (
	"partnership_id" uuid NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"description" text NOT NULL,
	"retired_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "partnership_service_type_partnership_id_code_pk" PRIMARY KEY("partnership_id","code")
);
--> statement-breakpoint
ALTER TABLE "plan_service" ADD COLUMN "service_type_code" text;--> statement-breakpoint
ALTER TABLE "partnership_service_type" ADD CONSTRAINT "partnership_service_type_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnership_service_type" ADD CONSTRAINT "partnership_service_type_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Issue #13, item 8: services recorded before the coded list get the type their words clearly
-- name (the same tidying and names as serviceTypeFromText in src/domain/reference/service-types.ts;
-- src/domain/reference/service-types.test.ts checks this list against it); the rest are "other"
-- and keep their words, shown as "Other: …".
UPDATE "plan_service" AS s SET "service_type_code" = coalesce(m.code, 'other')
FROM "plan_service" AS o
LEFT JOIN (VALUES
  ('supported living', 'supported-living'),
  ('supported accommodation', 'supported-living'),
  ('supported housing', 'supported-living'),
  ('supported tenancy', 'supported-living'),
  ('residential care', 'residential-care'),
  ('residential care home', 'residential-care'),
  ('care home', 'residential-care'),
  ('residential home', 'residential-care'),
  ('residential placement', 'residential-care'),
  ('nursing care', 'nursing-care'),
  ('nursing home', 'nursing-care'),
  ('care home with nursing', 'nursing-care'),
  ('nursing placement', 'nursing-care'),
  ('home care', 'home-care'),
  ('home support', 'home-care'),
  ('homecare', 'home-care'),
  ('domiciliary care', 'home-care'),
  ('domiciliary support', 'home-care'),
  ('medication prompting', 'home-care'),
  ('housing support', 'housing-support'),
  ('floating support', 'housing-support'),
  ('tenancy support', 'housing-support'),
  ('tenancy sustainment', 'housing-support'),
  ('day services', 'day-services'),
  ('day service', 'day-services'),
  ('day centre', 'day-services'),
  ('day center', 'day-services'),
  ('day opportunities', 'day-services'),
  ('day care', 'day-services'),
  ('care coordination', 'care-coordination'),
  ('care co ordination', 'care-coordination'),
  ('care coordinator', 'care-coordination'),
  ('care coordination and relapse prevention', 'care-coordination'),
  ('cmht care coordination', 'care-coordination'),
  ('community psychiatric nursing', 'community-nursing'),
  ('cpn', 'community-nursing'),
  ('cpn visits', 'community-nursing'),
  ('community psychiatric nurse', 'community-nursing'),
  ('psychological therapy', 'psychological-therapy'),
  ('psychology', 'psychological-therapy'),
  ('talking therapy', 'psychological-therapy'),
  ('psychological therapies', 'psychological-therapy'),
  ('psychotherapy', 'psychological-therapy'),
  ('medication or depot clinic', 'medication-clinic'),
  ('depot clinic', 'medication-clinic'),
  ('medication clinic', 'medication-clinic'),
  ('clozapine clinic', 'medication-clinic'),
  ('personal budget', 'direct-payment'),
  ('direct payment', 'direct-payment'),
  ('direct payments', 'direct-payment'),
  ('personal health budget', 'personal-health-budget'),
  ('phb', 'personal-health-budget'),
  ('personal assistant', 'personal-assistant'),
  ('pa', 'personal-assistant'),
  ('personal assistants', 'personal-assistant'),
  ('employment and education support', 'employment-support'),
  ('employment support', 'employment-support'),
  ('individual placement and support', 'employment-support'),
  ('ips', 'employment-support'),
  ('vocational support', 'employment-support'),
  ('peer support', 'peer-support'),
  ('peer support worker', 'peer-support'),
  ('drug and alcohol support', 'substance-misuse'),
  ('substance misuse', 'substance-misuse'),
  ('substance misuse support', 'substance-misuse'),
  ('drug and alcohol service', 'substance-misuse'),
  ('respite and short breaks', 'respite'),
  ('respite care', 'respite'),
  ('short breaks', 'respite'),
  ('short break', 'respite')
) AS m(name, code)
  ON m.name = btrim(regexp_replace(replace(regexp_replace(lower(o."service_type"), '\([^)]*\)', ' ', 'g'), '&', ' and '), '[^a-z0-9]+', ' ', 'g'))
WHERE s."partnership_id" = o."partnership_id" AND s."id" = o."id" AND s."service_type_code" IS NULL;--> statement-breakpoint
-- The new partnership table gets row-level security like every other (migration 0009).
SELECT aftercare_enable_tenancy();
