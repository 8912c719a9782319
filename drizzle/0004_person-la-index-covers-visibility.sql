-- The register's filtered counts (by status and responsible local authority) also test the
-- visibility scope of access.ts (responsible ICB, involved organisations). With those columns in
-- the index the count is an index-only scan, instead of a visit to every heap page holding a
-- match (bench/register, 200,000 people, entitled people of one authority: 55 ms → 15 ms).
DROP INDEX "person_la_idx";--> statement-breakpoint
CREATE INDEX "person_la_idx" ON "person" USING btree ("partnership_id","responsible_local_authority","status","responsible_icb","involved_organisations");