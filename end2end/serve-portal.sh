#!/bin/sh
# Starts the built portal for the end-to-end tests on a fresh SQLite database.
set -eu
cd "$(dirname "$0")"
mkdir -p .run
rm -f .run/e2e.db .run/e2e.db-wal .run/e2e.db-shm
# The providers write the portal's client keys as they start.
for i in $(seq 1 100); do
  [ -f .run/patient-client.key.pem ] && [ -f .run/staff-client.key.pem ] && break
  sleep 0.1
done
export PORTAL_BIND=127.0.0.1:3900
export PORTAL_PUBLIC_URL=http://127.0.0.1:3900
export DATABASE_URL=sqlite://.run/e2e.db
export PORTAL_DEMO_SIGN_IN=on
export PORTAL_DEMO_DATA=on
export PORTAL_NHS_LOGIN_ISSUER=http://127.0.0.1:3901
export PORTAL_NHS_LOGIN_CLIENT_ID=scr-portal
export PORTAL_NHS_LOGIN_KEY_FILE=.run/patient-client.key.pem
export PORTAL_STAFF_ISSUER=http://127.0.0.1:3902
export PORTAL_STAFF_CLIENT_ID=scr-portal-staff
export PORTAL_STAFF_KEY_FILE=.run/staff-client.key.pem
export PORTAL_SITE_ROOT=../target/site
export PORTAL_LOG_FORMAT=json
export PORTAL_PUBLISH_POLL_SECONDS=2
# Every spec signs in from this one address: the per-address limit on starting sign-ins is
# tested in server/tests/api/security.rs, not here.
export PORTAL_SIGN_IN_RATE_PER_MINUTE=600
exec ../target/debug/scr-portal
