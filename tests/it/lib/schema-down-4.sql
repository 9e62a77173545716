-- Undoes the migration 3 -> 4 of src/store_db.c: the database as the release
-- before it left it (tests/it/deb_install.sh upgrades the package over it).
-- A new migration needs its own schema-down-N.sql.
ALTER TABLE campaign DROP COLUMN report_title;
PRAGMA user_version = 3;
