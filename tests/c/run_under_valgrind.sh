#!/bin/sh
# Runs a test program under valgrind's memcheck: any invalid access or leak fails the test.
# Exits 77, which ctest reports as "skipped", when valgrind is not installed or when
# LEANDESK_VALGRIND_SKIP says why it must not run (a sanitizer build).
# Usage: run_under_valgrind.sh PROGRAM [ARGS...]   (LEANDESK_VALGRIND may name the valgrind binary)
if [ -n "${LEANDESK_VALGRIND_SKIP:-}" ]; then
  echo "skipped: ${LEANDESK_VALGRIND_SKIP}"
  exit 77
fi
valgrind="${LEANDESK_VALGRIND:-}"
case "$valgrind" in
  ""|*-NOTFOUND) valgrind=$(command -v valgrind 2>/dev/null) ;;
esac
if [ -z "$valgrind" ] || [ ! -x "$valgrind" ]; then
  echo "skipped: valgrind is not installed"
  exit 77
fi
exec "$valgrind" --error-exitcode=1 --leak-check=full --quiet "$@"
