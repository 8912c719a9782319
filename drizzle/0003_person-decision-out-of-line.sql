-- Keep the person table narrow for the register's lists. The stored decision (jsonb, about
-- 2.4 kB of text, 1.5 kB compressed) stayed inline, making each row about 1.9 kB; the lists'
-- count and filter scans read every visible row, so 200,000 people meant a 390 MB heap. With
-- a lower TOAST target, a row over 512 bytes has its largest values (the decision) compressed
-- and moved to the TOAST table: rows are about 340 bytes and the heap about 67 MB. Lists never
-- read `decision`; the person page reads it once. Applies to rows written from now on, and
-- every change to a person rewrites their row.
ALTER TABLE "person" SET (toast_tuple_target = 512);
