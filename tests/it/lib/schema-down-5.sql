-- Undoes the migration 4 -> 5 of src/store_db.c (催办 and notifications):
-- the database as the release before it left it (tests/it/deb_install.sh
-- upgrades the package over it).  A new migration needs its own
-- schema-down-N.sql.
DROP INDEX task_event_urge;
DROP INDEX task_event_return;
DROP TABLE outbox;
DROP TABLE notification;
ALTER TABLE user DROP COLUMN notify_off;
ALTER TABLE user DROP COLUMN email;
PRAGMA user_version = 4;
