-- pg_cron can only be created in cron.database_name, which docker-compose.yml
-- sets to POSTGRES_DB, the database this script runs in.
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS pg_cron;
