-- The statistics' monthly rollup (issue 15): lifecycle_facts summed per month (UTC+8) × division × industry section ×
-- contract type × (action, version concluded, basis, reason), once at each of the five levels, so a query reads the rows
-- of the level it groups by (a province-wide year by city: 21 cities' rows of that year, not every fact of the year).
-- The indexer adds each block's facts here in the block's own transaction, so facts and rollup never disagree.
-- basis and reason are -1 where the fact has none (a key column cannot be null); 0 stays "withheld from this scope".

CREATE TABLE monthly_rollup (
    level            smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    division         char(12) NOT NULL,       -- the facts' division at this level (their province, city, ... column)
    month            date     NOT NULL,
    industry_section char(1)  NOT NULL,
    contract_type    smallint NOT NULL,
    action           smallint NOT NULL,
    concluded        smallint NOT NULL,
    basis            smallint NOT NULL,
    reason           smallint NOT NULL,
    events           bigint   NOT NULL,       -- facts
    term_events      bigint   NOT NULL,       -- of which with a term (term_days not null)
    term_days        bigint   NOT NULL,       -- the sum of their terms
    probation        bigint   NOT NULL,       -- of which with a probation period
    opened           bigint   NOT NULL,       -- of which opened a contract
    closed           bigint   NOT NULL,       -- of which closed one
    PRIMARY KEY (level, division, month, industry_section, contract_type, action, concluded, basis, reason)
) WITH (fillfactor = 70);
-- A subtree's rows at a level are a range of division codes (its prefix padded with 0s, with 9s): a range of the primary key,
-- the only index (an indexer's block adds to rows already there; room left in each page keeps those updates off the index).

-- The indexer marks here when it runs without the rollup (a measurement of its cost): the statistics then read the facts.
ALTER TABLE index_checkpoint ADD COLUMN rollup boolean NOT NULL DEFAULT true;

-- An existing database: the rollup backfilled from its facts.
INSERT INTO monthly_rollup
SELECT l.level, CASE l.level WHEN 1 THEN f.province WHEN 2 THEN f.city WHEN 3 THEN f.county WHEN 4 THEN f.town ELSE f.village END,
       f.month, f.industry_section, f.contract_type, f.action, f.concluded, coalesce(f.basis, -1), coalesce(f.reason, -1),
       count(*), count(f.term_days), coalesce(sum(f.term_days), 0), count(*) FILTER (WHERE f.probation),
       count(*) FILTER (WHERE f.opened), count(*) FILTER (WHERE f.closed)
FROM lifecycle_facts f CROSS JOIN (VALUES (1::smallint), (2::smallint), (3::smallint), (4::smallint), (5::smallint)) AS l(level)
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
