/* A tiny assertion kit for the C API tests, plus the few helpers they share: a mail catcher and a
 * minimal reader for the JSON the library hands back. C99, no external test framework.
 *
 * Every CHECK counts one passed or one failed check; a failure prints its file, line and what was
 * expected. test_summary() prints the last line "N passed, M failed" and gives the exit status. */
#ifndef LEANDESK_C_TEST_SUPPORT_H
#define LEANDESK_C_TEST_SUPPORT_H

#include <leandesk/leandesk.h>

#include <stddef.h>
#include <stdint.h>

/* ---- assertions ---------------------------------------------------------------------------- */

/** Counts one check; prints `what` (and the thread's last LeanDesk error) when `ok` is false.
 * Returns `ok`. Thread-safe. */
int test_check(int ok, const char *file, int line, const char *what);
/** Compares a status code with the expected one; on a mismatch prints both, with their names and
 * ld_last_error(). Thread-safe. */
int test_check_rc(int actual, int expected, const char *file, int line, const char *call);
/** Compares two strings (NULL-safe). */
int test_check_str(const char *actual, const char *expected, const char *file, int line,
                   const char *what);
/** `actual` must be #LD_EPERM with ld_last_error() starting "<rule>:" (any "R<n>:" when `rule` is
 * NULL). */
int test_check_denied(int actual, const char *rule, const char *file, int line, const char *call);
/** `actual` must be `expected` (a failure code) with a non-empty ld_last_error(). */
int test_check_fail(int actual, int expected, const char *file, int line, const char *call);
/** Prints "N passed, M failed" and returns the process exit status (0 when nothing failed). */
int test_summary(void);
/** The number of failed checks so far. */
int test_failures(void);

#define CHECK(cond) test_check((cond) ? 1 : 0, __FILE__, __LINE__, #cond)
/** `call` must return `expected`. */
#define CHECK_RC(call, expected) test_check_rc((call), (expected), __FILE__, __LINE__, #call)
/** `call` must succeed. */
#define CHECK_OK(call) test_check_rc((call), LD_OK, __FILE__, __LINE__, #call)
/** `call` must be refused by rule `rule` ("R9"): #LD_EPERM, message "R9: ...". */
#define CHECK_DENIED(call, rule) test_check_denied((call), (rule), __FILE__, __LINE__, #call)
/** `call` must fail with `expected` and leave a non-empty message. */
#define CHECK_FAIL(call, expected) test_check_fail((call), (expected), __FILE__, __LINE__, #call)
#define CHECK_STR(actual, expected) test_check_str((actual), (expected), __FILE__, __LINE__, #actual)

/* ---- JSON, minimally ------------------------------------------------------------------------- */
/* The library prints compact JSON (no spaces), which these helpers rely on. Each returned string is
 * malloc'd and freed with free(); NULL when the thing is absent. */

/** The string value of `"key"` in the object `json` (top level of that object only), unescaped. */
char *json_str(const char *json, const char *key);
/** The raw text of the value of `"key"` in the object `json` (top level only): a number, true,
 * false, null, a quoted string, an object or an array. */
char *json_raw(const char *json, const char *key);
/** The integer value of `"key"` (top level), or `fallback` when absent or not a number. */
int64_t json_int(const char *json, const char *key, int64_t fallback);
/** 1 when `"key"` is true, 0 when false, -1 otherwise. */
int json_bool(const char *json, const char *key);
/** Number of elements of the JSON array `json`; -1 when it is not an array. */
int json_array_len(const char *json);
/** The raw text of element `index` of the JSON array `json`. */
char *json_array_at(const char *json, int index);
/** The first element of the array `json` whose string field `key` equals `value`. */
char *json_array_find(const char *json, const char *key, const char *value);
/** Copies `str` into a fresh malloc'd string. */
char *test_strdup(const char *str);

/* ---- mail ---------------------------------------------------------------------------------- */

#define TEST_MAIL_MAX 64

/** Collects the mails the library sends (as their JSON text). */
typedef struct test_mailbox {
    char *mails[TEST_MAIL_MAX];
    int count;       /* mails received so far (the oldest are dropped beyond TEST_MAIL_MAX) */
    int fail_next;   /* when non-zero, the next delivery is refused (returns 1) and not kept */
    int free_calls;  /* how many times LeanDesk called test_mailbox_free_fn on this box */
} test_mailbox;

/** An ld_mail_fn that keeps a copy of each mail in the test_mailbox passed as userdata. */
int test_mail_fn(const char *mail_json, void *userdata);
/** An ld_free_fn for a test_mailbox: counts the call and frees the kept mails (the box itself is
 * the test's). */
void test_mailbox_free_fn(void *userdata);
/** The last mail sent to `to` (NULL for any), or NULL. Owned by the box. */
const char *test_mailbox_last(const test_mailbox *box, const char *to);
/** The code in a mail: its "text" field's first line that starts with four spaces, without them.
 * malloc'd; NULL when there is none. */
char *test_mail_code(const char *mail_json);
/** Frees every kept mail. */
void test_mailbox_clear(test_mailbox *box);

/* ---- odds and ends ------------------------------------------------------------------------- */

/** Fast Argon2 for tests. */
#define TEST_DB_OPTIONS "{\"password_opslimit\":1,\"password_memlimit\":8192}"

/** Signs up {first, last, email, password}, activates the account with the mailed code and signs
 * in; returns the session (NULL on failure, with checks counted) and the user's id in `*user_id`
 * (malloc'd) when not NULL. */
ld_session *test_new_user(ld_db *db, test_mailbox *box, const char *first, const char *last,
                          const char *email, const char *password, char **user_id);

/** The number of change-log records (ld_db_changes_since(0)). -1 on failure. */
int test_change_count(ld_db *db);

#endif
