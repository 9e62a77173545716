-- Undoes the migration 2 -> 3 of src/store_db.c: the database as the release
-- before it left it (tests/it/deb_install.sh upgrades the package over it).
-- A new migration needs its own schema-down-N.sql.
DROP TRIGGER dash_task_in;
DROP TRIGGER dash_task_out;
DROP TRIGGER dash_task_up;
DROP TRIGGER dash_event_in;
DROP TRIGGER dash_event_out;
DROP TRIGGER dash_event_up;
DROP TABLE dash_day;
DROP TABLE dash_unit;
DROP TABLE dash_area;
DROP TABLE dash_week;
DROP INDEX task_open;
DROP INDEX task_activity;
DROP INDEX task_area;
CREATE INDEX task_area ON task(area_id);
PRAGMA user_version = 2;
