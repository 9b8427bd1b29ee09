-- Generated from functions/Ndhm.Analytics/analytics-definitions.json by FabricSql.Generate; do not edit.
-- Source: the analytics-facts container (analytical store / Fabric mirror) as table analytics_facts.
-- Parameter: ${threshold} (the small-cell threshold, Analytics__SmallCellThreshold; default 10).
-- Output: one view per measure of released blocks (period_start, period_end, grain, every dimension, events, value_sum).

-- enrolments: ABHA enrolments (self-service)
CREATE OR REPLACE TEMPORARY VIEW released_enrolments AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.method, 'unknown') AS method, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'enrolments'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.method, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, method, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, method
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, method, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, method
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, method, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, method, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, method, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- assisted-enrolments: ABHA enrolments made by a health worker
CREATE OR REPLACE TEMPORARY VIEW released_assisted_enrolments AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.method, 'unknown') AS method, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'assisted-enrolments'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.method, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, method, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, method
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, method, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, method
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, method, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, method, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, method, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- linkings: Care-context links
CREATE OR REPLACE TEMPORARY VIEW released_linkings AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.initiator, 'unknown') AS initiator, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'linkings'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.initiator, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, initiator, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, initiator
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, initiator, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, initiator
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, initiator, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, initiator, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, initiator, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- linking-patients: Patients who linked care contexts, each counted once a day (a week or month block sums days)
CREATE OR REPLACE TEMPORARY VIEW released_linking_patients AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.initiator, 'unknown') AS initiator, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'linking-patients'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.initiator, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, initiator, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, initiator
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, initiator, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, initiator
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, initiator, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, initiator, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, initiator, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- consent-requests: Consent requests by purpose and outcome
CREATE OR REPLACE TEMPORARY VIEW released_consent_requests AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.purpose, 'unknown') AS purpose, COALESCE(dimensions.outcome, 'unknown') AS outcome, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'consent-requests'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.purpose, 'unknown'), COALESCE(dimensions.outcome, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, purpose, outcome, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, purpose, outcome
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, purpose, outcome, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, purpose, outcome
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, purpose, outcome, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, purpose, outcome, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, purpose, outcome, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- transfers: Health-information transfers and their latency
CREATE OR REPLACE TEMPORARY VIEW released_transfers AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.outcome, 'unknown') AS outcome, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'transfers'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.outcome, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, outcome, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, outcome
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, outcome, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, outcome
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, outcome, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, outcome, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, outcome, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- teleconsultations: Teleconsultations by specialty and mode
CREATE OR REPLACE TEMPORARY VIEW released_teleconsultations AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.specialty, 'unknown') AS specialty, COALESCE(dimensions.mode, 'unknown') AS mode, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'teleconsultations'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.specialty, 'unknown'), COALESCE(dimensions.mode, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, specialty, mode, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, specialty, mode
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, specialty, mode, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, specialty, mode
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, specialty, mode, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, specialty, mode, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, specialty, mode, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- prescriptions: E-prescriptions by drug class and schedule list
CREATE OR REPLACE TEMPORARY VIEW released_prescriptions AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.drugClass, 'unknown') AS drugClass, COALESCE(dimensions.drugList, 'unknown') AS drugList, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'prescriptions'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.drugClass, 'unknown'), COALESCE(dimensions.drugList, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, drugClass, drugList, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, drugClass, drugList
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, drugClass, drugList, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, drugClass, drugList
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, drugClass, drugList, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, drugClass, drugList, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, drugClass, drugList, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- dispensings: Dispensing against e-prescriptions
CREATE OR REPLACE TEMPORARY VIEW released_dispensings AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.drugClass, 'unknown') AS drugClass, COALESCE(dimensions.drugList, 'unknown') AS drugList, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'dispensings'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.drugClass, 'unknown'), COALESCE(dimensions.drugList, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, drugClass, drugList, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, drugClass, drugList
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, drugClass, drugList, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, drugClass, drugList
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, drugClass, drugList, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, drugClass, drugList, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, drugClass, drugList, events, value_sum FROM month_pool WHERE events >= ${threshold};

-- orders: Pharmacy and lab orders and their turnaround
CREATE OR REPLACE TEMPORARY VIEW released_orders AS
WITH cells AS (
  SELECT CAST(day AS DATE) AS day, COALESCE(dimensions.state, 'unknown') AS state, COALESCE(dimensions.district, 'unknown') AS district, COALESCE(dimensions.facilityType, 'unknown') AS facilityType, COALESCE(dimensions.ageBand, 'unknown') AS ageBand, COALESCE(dimensions.gender, 'unknown') AS gender, COALESCE(dimensions.outcome, 'unknown') AS outcome, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum
  FROM analytics_facts WHERE measure = 'orders'
  GROUP BY CAST(day AS DATE), COALESCE(dimensions.state, 'unknown'), COALESCE(dimensions.district, 'unknown'), COALESCE(dimensions.facilityType, 'unknown'), COALESCE(dimensions.ageBand, 'unknown'), COALESCE(dimensions.gender, 'unknown'), COALESCE(dimensions.outcome, 'unknown')
), weeks AS (
  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *
  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)
), week_pool AS (
  SELECT week_start, state, district, facilityType, ageBand, gender, outcome, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM weeks WHERE events < ${threshold}
  GROUP BY week_start, state, district, facilityType, ageBand, gender, outcome
), month_pool AS (
  SELECT trunc(week_start, 'MM') AS month_start, state, district, facilityType, ageBand, gender, outcome, SUM(events) AS events, SUM(value_sum) AS value_sum
  FROM week_pool WHERE events < ${threshold}
  GROUP BY trunc(week_start, 'MM'), state, district, facilityType, ageBand, gender, outcome
)
SELECT day AS period_start, day AS period_end, 'day' AS grain, state, district, facilityType, ageBand, gender, outcome, events, value_sum FROM cells WHERE events >= ${threshold}
UNION ALL
SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', state, district, facilityType, ageBand, gender, outcome, events, value_sum FROM week_pool WHERE events >= ${threshold}
UNION ALL
SELECT month_start, last_day(month_start), 'month', state, district, facilityType, ageBand, gender, outcome, events, value_sum FROM month_pool WHERE events >= ${threshold};
