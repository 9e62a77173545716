-- Undoes the migration 6 -> 7 of src/store_db.c (what the web servers
-- share: failed logins and staged uploads): the database as the release
-- before it left it (tests/it/deb_install.sh upgrades the package over it;
-- test_store.c's upgrade tests read it too).  A new migration needs its
-- own schema-down-N.sql.
DROP TABLE staged;
DROP TABLE login_fail;
PRAGMA user_version = 6;
