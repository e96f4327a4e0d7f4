-- Custom SQL migration file, put your code below! --
-- Crises whose first public statement went out before the column existed get it from
-- their releases (any channel but internal), so their clock stops too.
UPDATE "incidents" AS i SET "first_statement_at" = first.at
FROM (
	SELECT s."incident_id", min(r."released_at") AS at
	FROM "releases" r JOIN "statements" s ON s."id" = r."statement_id"
	WHERE r."channel" <> 'internal'
	GROUP BY s."incident_id"
) AS first
WHERE first."incident_id" = i."id" AND i."first_statement_at" IS NULL;
