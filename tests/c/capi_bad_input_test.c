/* Bad input through every function of the C API.
 *
 * Each function is called with NULL for each pointer parameter in turn (where NULL is not
 * documented as allowed), and each string parameter with values of the wrong kind: invalid JSON,
 * JSON of the wrong shape or type, unknown fields, unknown and malformed ids, invalid UTF-8 and
 * over-long (100 KB) strings. Every such call must
 *   - return the documented code, with that code in ld_last_error_code() and a non-empty message
 *     (valid UTF-8, like every string LeanDesk hands out),
 *   - set `*out` to NULL (or 0),
 *   - change nothing: the change log and a fingerprint of what the fixture's users, the operator
 *     and the usage figures read are the same before and after,
 *   - not crash and leak nothing (ctest also runs this program under valgrind).
 *
 * The fixture runs on a fixed injected clock so that reads never touch "last seen" times and the
 * fingerprint is stable. */
#define _POSIX_C_SOURCE 200809L

#include <leandesk/leandesk.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

/* ---- fixture -------------------------------------------------------------------------------- */

static const uint8_t kPng[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82};

#define ALICE_PW "alice-password-1"
#define BOB_PW "bob-password-123"
#define CAROL_PW "carol-password-1"
#define OP_SECRET "operator-secret-0123456789"
#define UNKNOWN_ID "00000000-0000-4000-8000-000000000000"
#define UNKNOWN_TOKEN "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" /* 43 chars, the shape of a token */
#define UNKNOWN_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define BAD_UTF8 "\xff\xfe\xc3\x28"
#define LONG_LEN (100 * 1024)

typedef struct fixture {
    ld_db *db;
    test_mailbox mail;
    int64_t clock_ms;
    ld_session *alice, *bob, *carol, *op;
    char *alice_id, *bob_id, *carol_id;
    char *group_id, *project_id, *step_open, *step_spare, *resource_id;
    char *action1, *action2, *comment_id, *indicator_id, *photo_id, *photo_hash;
    char *alice_token;
    char *long_text; /* LONG_LEN bytes of 'a' */
    uint64_t fingerprint;
} fixture;

static fixture fx;

static int64_t fixed_clock(void *userdata) { return *(const int64_t *)userdata; }

/* FNV-1a, over everything the fingerprint reads. */
static uint64_t mix(uint64_t h, const char *text) {
    const unsigned char *p = (const unsigned char *)(text != NULL ? text : "(null)");
    while (*p != '\0') {
        h ^= *p++;
        h *= 1099511628211ULL;
    }
    return h ^ 0xFFu;
}

static uint64_t mix_call(uint64_t h, int rc, char *out) {
    char code[16];
    snprintf(code, sizeof code, "%d", rc);
    h = mix(h, code);
    h = mix(h, out);
    ld_string_free(out);
    return h;
}

/* What the fixture's people, the operator and the store show. Any change made by a failed call
 * changes it. */
static uint64_t fingerprint(void) {
    uint64_t h = 14695981039346656037ULL;
    char *out = NULL;
    int rc, enabled = -1;
    char num[32];
    rc = ld_db_changes_since(&out, fx.db, 0, 100000), h = mix_call(h, rc, out), out = NULL;
    rc = ld_project_review(&out, fx.alice, fx.project_id), h = mix_call(h, rc, out), out = NULL;
    rc = ld_group_members(&out, fx.alice, fx.group_id), h = mix_call(h, rc, out), out = NULL;
    rc = ld_group_list(&out, fx.alice), h = mix_call(h, rc, out), out = NULL;
    rc = ld_step_list(&out, fx.alice, fx.group_id), h = mix_call(h, rc, out), out = NULL;
    rc = ld_resource_list(&out, fx.alice, fx.group_id), h = mix_call(h, rc, out), out = NULL;
    rc = ld_action_get(&out, fx.alice, fx.action1), h = mix_call(h, rc, out), out = NULL;
    rc = ld_indicator_curve(&out, fx.alice, fx.indicator_id), h = mix_call(h, rc, out), out = NULL;
    rc = ld_dashboard_get(&out, fx.bob), h = mix_call(h, rc, out), out = NULL;
    rc = ld_project_list(&out, fx.bob), h = mix_call(h, rc, out), out = NULL;
    rc = ld_me_get(&out, fx.alice), h = mix_call(h, rc, out), out = NULL;
    rc = ld_me_get(&out, fx.bob), h = mix_call(h, rc, out), out = NULL;
    rc = ld_me_get(&out, fx.carol), h = mix_call(h, rc, out), out = NULL;
    rc = ld_session_info(&out, fx.alice), h = mix_call(h, rc, out), out = NULL;
    rc = ld_session_info(&out, fx.bob), h = mix_call(h, rc, out), out = NULL;
    rc = ld_session_info(&out, fx.carol), h = mix_call(h, rc, out), out = NULL;
    rc = ld_session_info(&out, fx.op), h = mix_call(h, rc, out), out = NULL;
    rc = ld_operator_active_users(&out, fx.op), h = mix_call(h, rc, out), out = NULL;
    rc = ld_operator_usage_report(&out, fx.op), h = mix_call(h, rc, out), out = NULL;
    rc = ld_usage_enabled(&enabled, fx.db);
    snprintf(num, sizeof num, "%d/%d/%d", rc, enabled, fx.mail.count);
    h = mix(h, num);
    return h;
}

/* Checks that nothing changed since the last fingerprint; re-baselines after a change so that one
 * bad call is reported once. */
static void check_unchanged(const char *label) {
    const uint64_t now = fingerprint();
    char what[512];
    snprintf(what, sizeof what, "%s changed nothing", label);
    test_check(now == fx.fingerprint, __FILE__, __LINE__, what);
    fx.fingerprint = now;
}

static int valid_utf8(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        int n;
        unsigned long cp;
        if (*p < 0x80) {
            ++p;
            continue;
        }
        if ((*p & 0xE0) == 0xC0) n = 1, cp = *p & 0x1Fu;
        else if ((*p & 0xF0) == 0xE0) n = 2, cp = *p & 0x0Fu;
        else if ((*p & 0xF8) == 0xF0) n = 3, cp = *p & 0x07u;
        else return 0;
        ++p;
        while (n-- > 0) {
            if ((*p & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (*p++ & 0x3Fu);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    }
    return 1;
}

/* ---- the expectations of one failing call ---------------------------------------------------- */

/* A set of status codes, as a bit mask. */
#define CODE(c) (1UL << (unsigned)(-(c)))
#define ANY_OF2(a, b) (CODE(a) | CODE(b))
#define ANY_OF3(a, b, c) (CODE(a) | CODE(b) | CODE(c))

/* The last error with bytes outside printable ASCII shown as '?', cut at 110 bytes. */
static char *message_sample(void) {
    char *copy = test_strdup(ld_last_error());
    char *p;
    if (strlen(copy) > 120) strcpy(copy + 110, "...");
    for (p = copy; *p != '\0'; ++p) {
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F) *p = '?';
    }
    return copy;
}

/* Checks a failed call: its code is in `codes`, ld_last_error_code() agrees, the message is
 * non-empty valid UTF-8. Returns 1 when all held. */
static int check_failure(int rc, unsigned long codes, const char *label) {
    char what[600];
    const int in_set = rc < 0 && rc >= -31 && (codes & CODE(rc)) != 0;
    int ok = 1;
    snprintf(what, sizeof what, "%s: returned %d (%s)", label, rc, ld_error_name(rc));
    ok &= test_check(in_set, __FILE__, __LINE__, what);
    snprintf(what, sizeof what, "%s: ld_last_error_code() is the returned code", label);
    ok &= test_check(ld_last_error_code() == rc, __FILE__, __LINE__, what);
    snprintf(what, sizeof what, "%s: ld_last_error() is not empty", label);
    ok &= test_check(ld_last_error()[0] != '\0', __FILE__, __LINE__, what);
    {
        char *sample = message_sample();
        snprintf(what, sizeof what, "%s: ld_last_error() is valid UTF-8 (\"%s\")", label, sample);
        free(sample);
    }
    ok &= test_check(valid_utf8(ld_last_error()), __FILE__, __LINE__, what);
    return ok;
}

/* ---- the table of functions ------------------------------------------------------------------ */

enum out_kind { OUT_NONE, OUT_STR, OUT_SESSION, OUT_U64, OUT_INT, OUT_BYTES };
enum handle_kind { H_NONE, H_DB, H_SESSION };
enum who { W_DB, W_ALICE, W_BOB, W_OP };

/* What a string parameter holds, which decides the bad values it is probed with. */
enum slot_kind {
    S_NONE,
    S_JSON,         /* a JSON object input or patch */
    S_JSON_OPT,     /* the same, NULL allowed */
    S_IDS,          /* a JSON array of user ids */
    S_SUBJECT,      /* the id of the thing acted on: unknown => LD_ENOTFOUND */
    S_SUBJECT_OPT,  /* the same, NULL allowed */
    S_TARGET,       /* a user id the call points at: unknown => not found or refused */
    S_EMAIL,        /* an e-mail address */
    S_EMAIL_SIGNIN, /* the e-mail of a sign-in: bad => LD_EINVAL or LD_EAUTH */
    S_CODE,         /* an activation or reset code: bad => LD_EAUTH */
    S_TOKEN,        /* a session token */
    S_PW_AUTH,      /* a password checked against the stored one: bad => LD_EAUTH */
    S_PW_NEW,       /* a new password: bad => LD_EINVAL */
    S_PW_NEW_RESET, /* a new password next to an unknown reset code */
    S_SECRET_NEW,   /* a new operator secret */
    S_SECRET_CUR,   /* the current operator secret (NULL means "none yet": LD_EAUTH now) */
    S_COMMAND,      /* a command name for ld_session_execute */
    S_WEEK,         /* an ISO week */
    S_STATUS,       /* a user status */
    S_SUMMARY,      /* a policy summary */
    S_HASH          /* a blob hash */
};

typedef struct slot {
    int kind;
    const char *valid; /* a good value (for the probes of the other parameters) */
    const char *tmpl;  /* S_JSON*: the valid JSON with "%s" where a string value goes (last) */
} slot;

typedef struct call_args {
    void *out; /* where the call writes its result, or NULL */
    ld_db *db;
    ld_session *s;
    const char *p[3];
    int64_t n;
} call_args;

typedef int (*invoker)(const call_args *a);

typedef struct api_fn {
    const char *name;
    invoker call;
    int out;
    int handle;
    int who;
    slot slots[3];
} api_fn;

/* Invokers: one line each, passing the arguments through unchanged. */
static size_t g_blob_size;
static void count_log(int level, const char *message, void *userdata) {
    (void)level, (void)message, (void)userdata;
}
static int never_send(const char *mail, void *userdata) { (void)mail, (void)userdata; return 1; }
static void observe(const char *changes, void *userdata) { (void)changes, (void)userdata; }

static int i_storage_info(const call_args *a) { return ld_db_storage_info(a->out, a->db); }
static int i_checkpoint(const call_args *a) { return ld_db_checkpoint(a->db); }
static int i_changes_since(const call_args *a) { return ld_db_changes_since(a->out, a->db, 0, 10); }
static int i_set_log(const call_args *a) { return ld_db_set_log(a->db, count_log, NULL, NULL); }
static int i_set_mail(const call_args *a) { return ld_db_set_mail_sender(a->db, never_send, NULL, NULL); }
static int i_set_clock(const call_args *a) { return ld_db_set_clock(a->db, fixed_clock, &fx.clock_ms, NULL); }
static int i_add_observer(const call_args *a) { return ld_db_add_observer(a->out, a->db, observe, NULL, NULL); }
static int i_remove_observer(const call_args *a) { return ld_db_remove_observer(a->db, 1); }
static int i_usage_record(const call_args *a) { return ld_usage_record(a->db, a->p[0]); }
static int i_usage_set(const call_args *a) { return ld_usage_set_enabled(a->db, 0); }
static int i_usage_enabled(const call_args *a) { return ld_usage_enabled(a->out, a->db); }
static int i_sign_up(const call_args *a) { return ld_account_sign_up(a->out, a->db, a->p[0]); }
static int i_resend(const call_args *a) { return ld_account_resend_activation(a->db, a->p[0]); }
static int i_activate(const call_args *a) { return ld_account_activate(a->out, a->db, a->p[0]); }
static int i_request_reset(const call_args *a) { return ld_account_request_password_reset(a->db, a->p[0]); }
static int i_reset(const call_args *a) { return ld_account_reset_password(a->db, a->p[0], a->p[1]); }
static int i_sign_in(const call_args *a) { return ld_session_sign_in(a->out, a->db, a->p[0], a->p[1]); }
static int i_resume(const call_args *a) { return ld_session_resume(a->out, a->db, a->p[0]); }
static int i_sign_out(const call_args *a) { return ld_session_sign_out(a->s); }
static int i_token(const call_args *a) { return ld_session_token(a->out, a->s); }
static int i_info(const call_args *a) { return ld_session_info(a->out, a->s); }
static int i_execute(const call_args *a) { return ld_session_execute(a->out, a->s, a->p[0], a->p[1]); }
static int i_me_get(const call_args *a) { return ld_me_get(a->out, a->s); }
static int i_me_update(const call_args *a) { return ld_me_update(a->out, a->s, a->p[0]); }
static int i_email_change(const call_args *a) { return ld_me_request_email_change(a->s, a->p[0]); }
static int i_change_pw(const call_args *a) { return ld_me_change_password(a->s, a->p[0], a->p[1]); }
static int i_avatar(const call_args *a) { return ld_me_set_avatar(a->out, a->s, kPng, sizeof kPng); }
static int i_ack(const call_args *a) { return ld_me_acknowledge_policy(a->out, a->s, a->n); }
static int i_delete_account(const call_args *a) { return ld_me_delete_account(a->s, a->p[0]); }
static int i_dashboard(const call_args *a) { return ld_dashboard_get(a->out, a->s); }
static int i_group_create(const call_args *a) { return ld_group_create(a->out, a->s, a->p[0]); }
static int i_group_get(const call_args *a) { return ld_group_get(a->out, a->s, a->p[0]); }
static int i_group_list(const call_args *a) { return ld_group_list(a->out, a->s); }
static int i_group_update(const call_args *a) { return ld_group_update(a->out, a->s, a->p[0], a->p[1]); }
static int i_group_delete(const call_args *a) { return ld_group_delete(a->s, a->p[0]); }
static int i_group_members(const call_args *a) { return ld_group_members(a->out, a->s, a->p[0]); }
static int i_add_member(const call_args *a) { return ld_group_add_member(a->out, a->s, a->p[0], a->p[1]); }
static int i_remove_member(const call_args *a) { return ld_group_remove_member(a->s, a->p[0], a->p[1]); }
static int i_group_leave(const call_args *a) { return ld_group_leave(a->s, a->p[0]); }
static int i_group_transfer(const call_args *a) { return ld_group_transfer(a->out, a->s, a->p[0], a->p[1]); }
static int i_group_projects(const call_args *a) { return ld_group_projects(a->out, a->s, a->p[0]); }
static int i_step_list(const call_args *a) { return ld_step_list(a->out, a->s, a->p[0]); }
static int i_step_add(const call_args *a) { return ld_step_add(a->out, a->s, a->p[0], a->p[1]); }
static int i_step_update(const call_args *a) { return ld_step_update(a->out, a->s, a->p[0], a->p[1]); }
static int i_step_move(const call_args *a) { return ld_step_move(a->out, a->s, a->p[0], a->n); }
static int i_step_remove(const call_args *a) { return ld_step_remove(a->s, a->p[0]); }
static int i_res_list(const call_args *a) { return ld_resource_list(a->out, a->s, a->p[0]); }
static int i_res_add(const call_args *a) { return ld_resource_add(a->out, a->s, a->p[0], a->p[1]); }
static int i_res_update(const call_args *a) { return ld_resource_update(a->out, a->s, a->p[0], a->p[1]); }
static int i_res_remove(const call_args *a) { return ld_resource_remove(a->s, a->p[0]); }
static int i_proj_create(const call_args *a) { return ld_project_create(a->out, a->s, a->p[0]); }
static int i_proj_get(const call_args *a) { return ld_project_get(a->out, a->s, a->p[0]); }
static int i_proj_list(const call_args *a) { return ld_project_list(a->out, a->s); }
static int i_proj_update(const call_args *a) { return ld_project_update(a->out, a->s, a->p[0], a->p[1]); }
static int i_proj_delete(const call_args *a) { return ld_project_delete(a->s, a->p[0]); }
static int i_proj_people(const call_args *a) { return ld_project_participants(a->out, a->s, a->p[0]); }
static int i_proj_add(const call_args *a) { return ld_project_add_participant(a->out, a->s, a->p[0], a->p[1]); }
static int i_proj_remove(const call_args *a) { return ld_project_remove_participant(a->s, a->p[0], a->p[1]); }
static int i_proj_leave(const call_args *a) { return ld_project_leave(a->s, a->p[0]); }
static int i_proj_transfer(const call_args *a) { return ld_project_transfer(a->out, a->s, a->p[0], a->p[1]); }
static int i_proj_actions(const call_args *a) { return ld_project_actions(a->out, a->s, a->p[0]); }
static int i_proj_review(const call_args *a) { return ld_project_review(a->out, a->s, a->p[0]); }
static int i_proj_indicators(const call_args *a) { return ld_project_indicators(a->out, a->s, a->p[0]); }
static int i_proj_report(const call_args *a) { return ld_project_report_recipients(a->out, a->s, a->p[0], a->p[1]); }
static int i_act_create(const call_args *a) { return ld_action_create(a->out, a->s, a->p[0]); }
static int i_act_get(const call_args *a) { return ld_action_get(a->out, a->s, a->p[0]); }
static int i_act_update(const call_args *a) { return ld_action_update(a->out, a->s, a->p[0], a->p[1]); }
static int i_act_move(const call_args *a) { return ld_action_move(a->out, a->s, a->p[0], a->p[1], a->p[2]); }
static int i_act_delete(const call_args *a) { return ld_action_delete(a->s, a->p[0]); }
static int i_comment_add(const call_args *a) { return ld_comment_add(a->out, a->s, a->p[0], a->p[1]); }
static int i_comment_delete(const call_args *a) { return ld_comment_delete(a->s, a->p[0]); }
static int i_ind_create(const call_args *a) { return ld_indicator_create(a->out, a->s, a->p[0]); }
static int i_ind_update(const call_args *a) { return ld_indicator_update(a->out, a->s, a->p[0], a->p[1]); }
static int i_ind_delete(const call_args *a) { return ld_indicator_delete(a->s, a->p[0]); }
static int i_ind_set(const call_args *a) { return ld_indicator_set_value(a->out, a->s, a->p[0], a->p[1], 4.0); }
static int i_ind_clear(const call_args *a) { return ld_indicator_clear_value(a->s, a->p[0], a->p[1]); }
static int i_ind_curve(const call_args *a) { return ld_indicator_curve(a->out, a->s, a->p[0]); }
static int i_photo_add(const call_args *a) { return ld_photo_add(a->out, a->s, a->p[0], kPng, sizeof kPng, a->p[1]); }
static int i_photo_remove(const call_args *a) { return ld_photo_remove(a->s, a->p[0]); }
static int i_blob_read(const call_args *a) { return ld_blob_read(a->out, &g_blob_size, a->s, a->p[0]); }
static int i_op_secret(const call_args *a) { return ld_operator_set_secret(a->db, a->p[0], a->p[1]); }
static int i_op_sign_in(const call_args *a) { return ld_operator_sign_in(a->out, a->db, a->p[0]); }
static int i_op_get_user(const call_args *a) { return ld_operator_get_user(a->out, a->s, a->p[0]); }
static int i_op_status(const call_args *a) { return ld_operator_set_user_status(a->out, a->s, a->p[0], a->p[1]); }
static int i_op_deactivate(const call_args *a) { return ld_operator_set_user_deactivated(a->out, a->s, a->p[0], 1); }
static int i_op_email(const call_args *a) { return ld_operator_change_login_email(a->out, a->s, a->p[0], a->p[1]); }
static int i_op_reset(const call_args *a) { return ld_operator_reset_password(a->s, a->p[0]); }
static int i_op_policy(const call_args *a) { return ld_operator_publish_policy(a->out, a->s, a->p[0]); }
static int i_op_active(const call_args *a) { return ld_operator_active_users(a->out, a->s); }
static int i_op_newsletter(const call_args *a) { return ld_operator_newsletter_recipients(a->out, a->s); }
static int i_op_usage(const call_args *a) { return ld_operator_usage_report(a->out, a->s); }

/* Strings the table points at, freed at the end. */
#define POOL_MAX 64
static char *g_pool[POOL_MAX];
static int g_pool_n;

static const char *keep(char *s) {
    if (g_pool_n < POOL_MAX) g_pool[g_pool_n++] = s;
    return s;
}

/* printf into a fresh pooled string. */
static const char *fmt(const char *format, const char *a, const char *b) {
    char buf[1024];
    snprintf(buf, sizeof buf, format, a, b);
    return keep(test_strdup(buf));
}

/* The template with its "%s" replaced by `value` (malloc'd). */
static char *fill(const char *tmpl, const char *value) {
    const char *mark = strstr(tmpl, "%s");
    const size_t head = (size_t)(mark - tmpl);
    const size_t vlen = strlen(value);
    char *out = malloc(strlen(tmpl) + vlen + 1);
    if (out == NULL) abort();
    memcpy(out, tmpl, head);
    memcpy(out + head, value, vlen);
    strcpy(out + head + vlen, mark + 2);
    return out;
}

#define SLOT(kind, valid) {kind, valid, NULL}
#define JSLOT(kind, tmpl) {kind, NULL, tmpl}
#define NO_SLOT {S_NONE, NULL, NULL}

static int build_table(api_fn *t) {
    const char *G = fx.group_id, *P = fx.project_id;
    int n = 0;
#define ADD(name_, call_, out_, handle_, who_, s0, s1, s2)                      \
    do {                                                                        \
        api_fn f_ = {name_, call_, out_, handle_, who_, {s0, s1, s2}};          \
        t[n++] = f_;                                                            \
    } while (0)
    /* database */
    ADD("ld_db_storage_info", i_storage_info, OUT_STR, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_db_checkpoint", i_checkpoint, OUT_NONE, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_db_changes_since", i_changes_since, OUT_STR, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_db_set_log", i_set_log, OUT_NONE, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_db_set_mail_sender", i_set_mail, OUT_NONE, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_db_set_clock", i_set_clock, OUT_NONE, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_db_add_observer", i_add_observer, OUT_U64, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_db_remove_observer", i_remove_observer, OUT_NONE, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_usage_record", i_usage_record, OUT_NONE, H_DB, W_DB,
        JSLOT(S_JSON, "{\"platform\":\"linux\",\"event\":%s}"), NO_SLOT, NO_SLOT);
    ADD("ld_usage_set_enabled", i_usage_set, OUT_NONE, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_usage_enabled", i_usage_enabled, OUT_INT, H_DB, W_DB, NO_SLOT, NO_SLOT, NO_SLOT);
    /* accounts */
    ADD("ld_account_sign_up", i_sign_up, OUT_STR, H_DB, W_DB,
        JSLOT(S_JSON, "{\"last_name\":\"Zed\",\"email\":\"zed@example.com\",\"password\":\"zed-password-1\","
                      "\"first_name\":%s}"),
        NO_SLOT, NO_SLOT);
    ADD("ld_account_resend_activation", i_resend, OUT_NONE, H_DB, W_DB, SLOT(S_EMAIL, "alice@example.com"),
        NO_SLOT, NO_SLOT);
    ADD("ld_account_activate", i_activate, OUT_STR, H_DB, W_DB, SLOT(S_CODE, UNKNOWN_TOKEN), NO_SLOT, NO_SLOT);
    ADD("ld_account_request_password_reset", i_request_reset, OUT_NONE, H_DB, W_DB,
        SLOT(S_EMAIL, "alice@example.com"), NO_SLOT, NO_SLOT);
    ADD("ld_account_reset_password", i_reset, OUT_NONE, H_DB, W_DB, SLOT(S_CODE, UNKNOWN_TOKEN),
        SLOT(S_PW_NEW_RESET, "new-password-123"), NO_SLOT);
    /* sessions */
    ADD("ld_session_sign_in", i_sign_in, OUT_SESSION, H_DB, W_DB, SLOT(S_EMAIL_SIGNIN, "alice@example.com"),
        SLOT(S_PW_AUTH, ALICE_PW), NO_SLOT);
    ADD("ld_session_resume", i_resume, OUT_SESSION, H_DB, W_DB, SLOT(S_TOKEN, fx.alice_token), NO_SLOT, NO_SLOT);
    ADD("ld_session_sign_out", i_sign_out, OUT_NONE, H_SESSION, W_BOB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_session_token", i_token, OUT_STR, H_SESSION, W_BOB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_session_info", i_info, OUT_STR, H_SESSION, W_BOB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_session_execute", i_execute, OUT_STR, H_SESSION, W_ALICE, SLOT(S_COMMAND, "update_project"),
        JSLOT(S_JSON_OPT, fmt("{\"project_id\":\"%s\",\"patch\":{\"name\":%%s}}", P, NULL)), NO_SLOT);
    /* my account */
    ADD("ld_me_get", i_me_get, OUT_STR, H_SESSION, W_BOB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_me_update", i_me_update, OUT_STR, H_SESSION, W_BOB, JSLOT(S_JSON, "{\"first_name\":%s}"), NO_SLOT,
        NO_SLOT);
    ADD("ld_me_request_email_change", i_email_change, OUT_NONE, H_SESSION, W_BOB,
        SLOT(S_EMAIL, "bobby@example.com"), NO_SLOT, NO_SLOT);
    ADD("ld_me_change_password", i_change_pw, OUT_NONE, H_SESSION, W_BOB, SLOT(S_PW_AUTH, BOB_PW),
        SLOT(S_PW_NEW, "bob-new-password"), NO_SLOT);
    ADD("ld_me_set_avatar", i_avatar, OUT_STR, H_SESSION, W_BOB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_me_acknowledge_policy", i_ack, OUT_STR, H_SESSION, W_BOB, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_me_delete_account", i_delete_account, OUT_NONE, H_SESSION, W_BOB, SLOT(S_PW_AUTH, BOB_PW), NO_SLOT,
        NO_SLOT);
    ADD("ld_dashboard_get", i_dashboard, OUT_STR, H_SESSION, W_BOB, NO_SLOT, NO_SLOT, NO_SLOT);
    /* groups, steps, resources */
    ADD("ld_group_create", i_group_create, OUT_STR, H_SESSION, W_ALICE, JSLOT(S_JSON, "{\"name\":%s}"), NO_SLOT,
        NO_SLOT);
    ADD("ld_group_get", i_group_get, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G), NO_SLOT, NO_SLOT);
    ADD("ld_group_list", i_group_list, OUT_STR, H_SESSION, W_ALICE, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_group_update", i_group_update, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G),
        JSLOT(S_JSON, "{\"name\":%s}"), NO_SLOT);
    ADD("ld_group_delete", i_group_delete, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G), NO_SLOT, NO_SLOT);
    ADD("ld_group_members", i_group_members, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G), NO_SLOT, NO_SLOT);
    ADD("ld_group_add_member", i_add_member, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G),
        SLOT(S_EMAIL, "newcomer@example.com"), NO_SLOT);
    ADD("ld_group_remove_member", i_remove_member, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G),
        SLOT(S_TARGET, fx.bob_id), NO_SLOT);
    ADD("ld_group_leave", i_group_leave, OUT_NONE, H_SESSION, W_BOB, SLOT(S_SUBJECT, G), NO_SLOT, NO_SLOT);
    ADD("ld_group_transfer", i_group_transfer, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G),
        SLOT(S_TARGET, fx.bob_id), NO_SLOT);
    ADD("ld_group_projects", i_group_projects, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G), NO_SLOT, NO_SLOT);
    ADD("ld_step_list", i_step_list, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G), NO_SLOT, NO_SLOT);
    ADD("ld_step_add", i_step_add, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G),
        JSLOT(S_JSON, "{\"kind\":\"active\",\"name\":%s}"), NO_SLOT);
    ADD("ld_step_update", i_step_update, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.step_spare),
        JSLOT(S_JSON, "{\"name\":%s}"), NO_SLOT);
    ADD("ld_step_move", i_step_move, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.step_spare), NO_SLOT,
        NO_SLOT);
    ADD("ld_step_remove", i_step_remove, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.step_spare), NO_SLOT,
        NO_SLOT);
    ADD("ld_resource_list", i_res_list, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G), NO_SLOT, NO_SLOT);
    ADD("ld_resource_add", i_res_add, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, G),
        JSLOT(S_JSON, "{\"url\":\"https://example.com\",\"name\":%s}"), NO_SLOT);
    ADD("ld_resource_update", i_res_update, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.resource_id),
        JSLOT(S_JSON, "{\"note\":%s}"), NO_SLOT);
    ADD("ld_resource_remove", i_res_remove, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.resource_id),
        NO_SLOT, NO_SLOT);
    /* projects */
    ADD("ld_project_create", i_proj_create, OUT_STR, H_SESSION, W_ALICE,
        JSLOT(S_JSON, fmt("{\"group_id\":\"%s\",\"name\":%%s}", G, NULL)), NO_SLOT, NO_SLOT);
    ADD("ld_project_get", i_proj_get, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P), NO_SLOT, NO_SLOT);
    ADD("ld_project_list", i_proj_list, OUT_STR, H_SESSION, W_ALICE, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_project_update", i_proj_update, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P),
        JSLOT(S_JSON, "{\"description\":%s}"), NO_SLOT);
    ADD("ld_project_delete", i_proj_delete, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P), NO_SLOT, NO_SLOT);
    ADD("ld_project_participants", i_proj_people, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P), NO_SLOT,
        NO_SLOT);
    ADD("ld_project_add_participant", i_proj_add, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P),
        SLOT(S_TARGET, fx.carol_id), NO_SLOT);
    ADD("ld_project_remove_participant", i_proj_remove, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P),
        SLOT(S_TARGET, fx.bob_id), NO_SLOT);
    ADD("ld_project_leave", i_proj_leave, OUT_NONE, H_SESSION, W_BOB, SLOT(S_SUBJECT, P), NO_SLOT, NO_SLOT);
    ADD("ld_project_transfer", i_proj_transfer, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P),
        SLOT(S_TARGET, fx.bob_id), NO_SLOT);
    ADD("ld_project_actions", i_proj_actions, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P), NO_SLOT, NO_SLOT);
    ADD("ld_project_review", i_proj_review, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P), NO_SLOT, NO_SLOT);
    ADD("ld_project_indicators", i_proj_indicators, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P), NO_SLOT,
        NO_SLOT);
    ADD("ld_project_report_recipients", i_proj_report, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, P),
        SLOT(S_IDS, fmt("[\"%s\"]", fx.bob_id, NULL)), NO_SLOT);
    /* actions, comments, indicators, photos */
    ADD("ld_action_create", i_act_create, OUT_STR, H_SESSION, W_ALICE,
        JSLOT(S_JSON, fmt("{\"project_id\":\"%s\",\"title\":%%s}", P, NULL)), NO_SLOT, NO_SLOT);
    ADD("ld_action_get", i_act_get, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.action1), NO_SLOT, NO_SLOT);
    ADD("ld_action_update", i_act_update, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.action1),
        JSLOT(S_JSON, "{\"title\":%s}"), NO_SLOT);
    ADD("ld_action_move", i_act_move, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.action1),
        SLOT(S_SUBJECT, fx.step_open), SLOT(S_SUBJECT_OPT, fx.action2));
    ADD("ld_action_delete", i_act_delete, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.action1), NO_SLOT,
        NO_SLOT);
    ADD("ld_comment_add", i_comment_add, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.action1),
        JSLOT(S_JSON, "{\"body\":%s}"), NO_SLOT);
    ADD("ld_comment_delete", i_comment_delete, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.comment_id),
        NO_SLOT, NO_SLOT);
    ADD("ld_indicator_create", i_ind_create, OUT_STR, H_SESSION, W_ALICE,
        JSLOT(S_JSON, fmt("{\"project_id\":\"%s\",\"name\":%%s}", P, NULL)), NO_SLOT, NO_SLOT);
    ADD("ld_indicator_update", i_ind_update, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.indicator_id),
        JSLOT(S_JSON, "{\"unit\":%s}"), NO_SLOT);
    ADD("ld_indicator_delete", i_ind_delete, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.indicator_id),
        NO_SLOT, NO_SLOT);
    ADD("ld_indicator_set_value", i_ind_set, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.indicator_id),
        SLOT(S_WEEK, "2026-W05"), NO_SLOT);
    ADD("ld_indicator_clear_value", i_ind_clear, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.indicator_id),
        SLOT(S_WEEK, "2026-W03"), NO_SLOT);
    ADD("ld_indicator_curve", i_ind_curve, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.indicator_id), NO_SLOT,
        NO_SLOT);
    ADD("ld_photo_add", i_photo_add, OUT_STR, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.action1),
        JSLOT(S_JSON_OPT, "{\"caption\":%s}"), NO_SLOT);
    ADD("ld_photo_remove", i_photo_remove, OUT_NONE, H_SESSION, W_ALICE, SLOT(S_SUBJECT, fx.photo_id), NO_SLOT,
        NO_SLOT);
    ADD("ld_blob_read", i_blob_read, OUT_BYTES, H_SESSION, W_ALICE, SLOT(S_HASH, fx.photo_hash), NO_SLOT, NO_SLOT);
    /* the operator */
    ADD("ld_operator_set_secret", i_op_secret, OUT_NONE, H_DB, W_DB, SLOT(S_SECRET_CUR, OP_SECRET),
        SLOT(S_SECRET_NEW, "another-operator-secret-1"), NO_SLOT);
    ADD("ld_operator_sign_in", i_op_sign_in, OUT_SESSION, H_DB, W_DB, SLOT(S_PW_AUTH, OP_SECRET), NO_SLOT, NO_SLOT);
    ADD("ld_operator_get_user", i_op_get_user, OUT_STR, H_SESSION, W_OP, SLOT(S_SUBJECT, fx.carol_id), NO_SLOT,
        NO_SLOT);
    ADD("ld_operator_set_user_status", i_op_status, OUT_STR, H_SESSION, W_OP, SLOT(S_SUBJECT, fx.carol_id),
        SLOT(S_STATUS, "silver"), NO_SLOT);
    ADD("ld_operator_set_user_deactivated", i_op_deactivate, OUT_STR, H_SESSION, W_OP,
        SLOT(S_SUBJECT, fx.carol_id), NO_SLOT, NO_SLOT);
    ADD("ld_operator_change_login_email", i_op_email, OUT_STR, H_SESSION, W_OP, SLOT(S_SUBJECT, fx.carol_id),
        SLOT(S_EMAIL, "carol2@example.com"), NO_SLOT);
    ADD("ld_operator_reset_password", i_op_reset, OUT_NONE, H_SESSION, W_OP, SLOT(S_SUBJECT, fx.carol_id),
        NO_SLOT, NO_SLOT);
    ADD("ld_operator_publish_policy", i_op_policy, OUT_STR, H_SESSION, W_OP, SLOT(S_SUMMARY, "Version two"),
        NO_SLOT, NO_SLOT);
    ADD("ld_operator_active_users", i_op_active, OUT_STR, H_SESSION, W_OP, NO_SLOT, NO_SLOT, NO_SLOT);
    ADD("ld_operator_newsletter_recipients", i_op_newsletter, OUT_STR, H_SESSION, W_OP, NO_SLOT, NO_SLOT,
        NO_SLOT);
    ADD("ld_operator_usage_report", i_op_usage, OUT_STR, H_SESSION, W_OP, NO_SLOT, NO_SLOT, NO_SLOT);
#undef ADD
    return n;
}

/* ---- running one failing call ---------------------------------------------------------------- */

static int g_sentinel_object;
#define SENTINEL ((void *)&g_sentinel_object)

/* The storage an out parameter points at. */
typedef union out_slot {
    char *str;
    ld_session *session;
    uint64_t u64;
    int i;
    uint8_t *bytes;
} out_slot;

static void arm(out_slot *o, int kind) {
    memset(o, 0, sizeof *o);
    switch (kind) {
        case OUT_STR: o->str = SENTINEL; break;
        case OUT_SESSION: o->session = SENTINEL; break;
        case OUT_U64: o->u64 = 0xDEADBEEFu; break;
        case OUT_INT: o->i = 12345; break;
        case OUT_BYTES: o->bytes = SENTINEL, g_blob_size = 777; break;
        default: break;
    }
}

/* 1 when the out parameter was cleared; frees anything an unexpected success handed out. */
static int disarm(out_slot *o, int kind) {
    switch (kind) {
        case OUT_STR:
            if (o->str != NULL && o->str != SENTINEL) ld_string_free(o->str);
            return o->str == NULL;
        case OUT_SESSION:
            if (o->session != NULL && o->session != SENTINEL) ld_session_free(o->session);
            return o->session == NULL;
        case OUT_U64:
            if (o->u64 != 0 && o->u64 != 0xDEADBEEFu) ld_db_remove_observer(fx.db, o->u64);
            return o->u64 == 0;
        case OUT_INT: return o->i == 0;
        case OUT_BYTES:
            if (o->bytes != NULL && o->bytes != SENTINEL) ld_bytes_free(o->bytes);
            return o->bytes == NULL && g_blob_size == 0;
        default: return 1;
    }
}

/* Calls `f` with `a` (its out parameter pointed at armed storage unless `null_out`), and checks the
 * failure: the code in `codes`, the message, the cleared out parameter, nothing changed. */
static void expect_failure(const api_fn *f, call_args a, int null_out, unsigned long codes,
                           const char *probe) {
    out_slot o;
    char label[400];
    char what[480];
    int rc;
    arm(&o, f->out);
    a.out = (f->out == OUT_NONE || null_out) ? NULL : (void *)&o;
    rc = f->call(&a);
    snprintf(label, sizeof label, "%s [%s]", f->name, probe);
    check_failure(rc, codes, label);
    if (f->out != OUT_NONE && !null_out) {
        snprintf(what, sizeof what, "%s: *out is NULL (or 0) after the failure", label);
        test_check(disarm(&o, f->out), __FILE__, __LINE__, what);
    }
    check_unchanged(label);
}

static ld_session *session_of(int who) {
    switch (who) {
        case W_ALICE: return fx.alice;
        case W_BOB: return fx.bob;
        case W_OP: return fx.op;
        default: return NULL;
    }
}

/* A JSON value nested `depth` levels deep: [[[...]]]. */
static char *deep_json(int depth) {
    char *s = malloc((size_t)depth * 2 + 16);
    int i;
    if (s == NULL) abort();
    strcpy(s, "{\"a\":");
    for (i = 0; i < depth; ++i) s[5 + i] = '[';
    for (i = 0; i < depth; ++i) s[5 + depth + i] = ']';
    strcpy(s + 5 + 2 * depth, "}");
    return s;
}

static char *upper(const char *s) {
    char *u = test_strdup(s);
    char *p;
    for (p = u; *p != '\0'; ++p) {
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    }
    return u;
}

typedef struct probe {
    const char *name;
    const char *value; /* NULL: built from the template */
    const char *fill;  /* the value put into the template */
    unsigned long codes;
} probe;

static void probe_slot(const api_fn *f, const call_args *base, int i) {
    const slot *sl = &f->slots[i];
    const unsigned long inval = CODE(LD_EINVAL);
    const unsigned long id_bad = ANY_OF2(LD_ENOTFOUND, LD_EINVAL);
    const unsigned long target_bad = ANY_OF3(LD_ENOTFOUND, LD_EINVAL, LD_EPERM);
    char *deep = deep_json(40);
    char *quoted_long = malloc(LONG_LEN + 3);
    char *upper_valid = sl->valid != NULL ? upper(sl->valid) : NULL;
    char *long_json = NULL;
    probe probes[16];
    int n = 0, k;
    if (quoted_long == NULL) abort();
    sprintf(quoted_long, "\"%s\"", fx.long_text);

#define P(name_, value_, fill_, codes_)                    \
    do {                                                   \
        probe p_ = {name_, value_, fill_, codes_};         \
        probes[n++] = p_;                                  \
    } while (0)
    switch (sl->kind) {
        case S_JSON:
        case S_JSON_OPT:
            P("invalid JSON", "{\"a\":", NULL, inval);
            P("empty string", "", NULL, inval);
            P("trailing comma", "{\"a\":1,}", NULL, inval);
            P("array instead of object", "[1,2]", NULL, inval);
            P("number instead of object", "42", NULL, inval);
            P("string instead of object", "\"text\"", NULL, inval);
            if (sl->kind == S_JSON) P("null instead of object", "null", NULL, inval);
            P("nested 40 deep", deep, NULL, inval);
            P("invalid UTF-8 key", "{\"" BAD_UTF8 "\":1}", NULL, inval);
            P("number for a string field", NULL, "5", inval);
            P("object for a string field", NULL, "{}", inval);
            P("invalid UTF-8 in a string", NULL, "\"" BAD_UTF8 "\"", inval);
            P("100 KB string field", NULL, quoted_long, inval);
            P("unknown field", NULL, "\"ok\",\"zzz_unknown\":1", inval);
            break;
        case S_IDS:
            P("invalid JSON", "[", NULL, inval);
            P("object instead of array", "{}", NULL, inval);
            P("empty array", "[]", NULL, inval);
            P("numbers", "[1]", NULL, inval);
            P("malformed id", "[\"not-an-id\"]", NULL, inval);
            P("invalid UTF-8", "[\"" BAD_UTF8 "\"]", NULL, inval);
            long_json = malloc(LONG_LEN + 8);
            if (long_json == NULL) abort();
            sprintf(long_json, "[%s]", quoted_long);
            P("100 KB id", long_json, NULL, inval);
            P("unknown id", "[\"" UNKNOWN_ID "\"]", NULL, ANY_OF2(LD_EPERM, LD_ENOTFOUND));
            break;
        case S_SUBJECT:
        case S_SUBJECT_OPT:
            P("unknown id", UNKNOWN_ID, NULL, CODE(LD_ENOTFOUND));
            P("malformed id", "not-an-id", NULL, id_bad);
            P("upper-case id", upper_valid, NULL, id_bad);
            P("empty id", "", NULL, id_bad);
            P("invalid UTF-8 id", BAD_UTF8, NULL, id_bad);
            P("100 KB id", fx.long_text, NULL, id_bad);
            break;
        case S_TARGET:
            P("unknown id", UNKNOWN_ID, NULL, ANY_OF2(LD_ENOTFOUND, LD_EPERM));
            P("malformed id", "not-an-id", NULL, target_bad);
            P("empty id", "", NULL, target_bad);
            P("invalid UTF-8 id", BAD_UTF8, NULL, target_bad);
            P("100 KB id", fx.long_text, NULL, target_bad);
            break;
        case S_EMAIL:
        case S_EMAIL_SIGNIN: {
            const unsigned long c = sl->kind == S_EMAIL ? inval : ANY_OF2(LD_EINVAL, LD_EAUTH);
            P("not an address", "not-an-email", NULL, c);
            P("no domain dot", "a@b", NULL, c);
            P("empty", "", NULL, c);
            P("invalid UTF-8", "x" BAD_UTF8 "@example.com", NULL, c);
            P("100 KB", fx.long_text, NULL, c);
            break;
        }
        case S_CODE:
            P("garbage", "garbage", NULL, CODE(LD_EAUTH));
            P("unknown code", UNKNOWN_TOKEN, NULL, CODE(LD_EAUTH));
            P("empty", "", NULL, ANY_OF2(LD_EAUTH, LD_EINVAL));
            P("invalid UTF-8", BAD_UTF8, NULL, ANY_OF2(LD_EAUTH, LD_EINVAL));
            P("100 KB", fx.long_text, NULL, ANY_OF2(LD_EAUTH, LD_EINVAL));
            break;
        case S_TOKEN:
            P("garbage", "garbage", NULL, CODE(LD_ENOTSIGNEDIN));
            P("unknown token", UNKNOWN_TOKEN, NULL, CODE(LD_ESESSION));
            P("empty", "", NULL, CODE(LD_ENOTSIGNEDIN));
            P("invalid UTF-8", BAD_UTF8, NULL, CODE(LD_ENOTSIGNEDIN));
            P("100 KB", fx.long_text, NULL, CODE(LD_ENOTSIGNEDIN));
            break;
        case S_PW_AUTH:
        case S_SECRET_CUR:
            P("wrong", "wrong-password-42", NULL, CODE(LD_EAUTH));
            P("empty", "", NULL, CODE(LD_EAUTH));
            P("invalid UTF-8", BAD_UTF8 "-password", NULL, CODE(LD_EAUTH));
            P("100 KB", fx.long_text, NULL, CODE(LD_EAUTH));
            break;
        case S_PW_NEW:
        case S_PW_NEW_RESET:
        case S_SECRET_NEW: {
            const unsigned long c = sl->kind == S_PW_NEW_RESET ? ANY_OF2(LD_EINVAL, LD_EAUTH) : inval;
            P("too short", "short", NULL, c);
            P("empty", "", NULL, c);
            P("invalid UTF-8", "long-enough-" BAD_UTF8 "-secret", NULL, c);
            P("100 KB", fx.long_text, NULL, inval);
            break;
        }
        case S_COMMAND:
            P("unknown command", "no_such_command", NULL, inval);
            P("empty", "", NULL, inval);
            P("invalid UTF-8", BAD_UTF8, NULL, inval);
            P("100 KB", fx.long_text, NULL, inval);
            break;
        case S_WEEK:
            P("month, not week", "2026-02", NULL, inval);
            P("week 0", "2026-W00", NULL, inval);
            P("week 53 of a 52-week year", "2025-W53", NULL, inval);
            P("no year", "W05", NULL, inval);
            P("empty", "", NULL, inval);
            P("invalid UTF-8", "2026-W" BAD_UTF8, NULL, inval);
            P("100 KB", fx.long_text, NULL, inval);
            break;
        case S_STATUS:
            P("unknown status", "platinum", NULL, inval);
            P("empty", "", NULL, inval);
            P("invalid UTF-8", BAD_UTF8, NULL, inval);
            P("100 KB", fx.long_text, NULL, inval);
            break;
        case S_SUMMARY:
            P("empty", "", NULL, inval);
            P("blank", "   ", NULL, inval);
            P("invalid UTF-8", "New " BAD_UTF8, NULL, inval);
            P("100 KB", fx.long_text, NULL, inval);
            break;
        case S_HASH:
            P("unknown hash", UNKNOWN_HASH, NULL, CODE(LD_ENOTFOUND));
            P("malformed", "xyz", NULL, inval);
            P("upper-case", upper_valid, NULL, inval);
            P("empty", "", NULL, inval);
            P("invalid UTF-8", BAD_UTF8, NULL, inval);
            P("100 KB", fx.long_text, NULL, inval);
            break;
        default: break;
    }
#undef P

    for (k = 0; k < n; ++k) {
        call_args a = *base;
        char *filled = NULL;
        char name[160];
        if (probes[k].value == NULL && probes[k].fill != NULL && sl->tmpl != NULL) {
            filled = fill(sl->tmpl, probes[k].fill);
            a.p[i] = filled;
        } else {
            a.p[i] = probes[k].value;
        }
        if (a.p[i] == NULL) continue; /* e.g. the upper-case form of a slot without a value */
        snprintf(name, sizeof name, "param %d: %s", i + 1, probes[k].name);
        expect_failure(f, a, 0, probes[k].codes, name);
        free(filled);
    }
    free(deep);
    free(quoted_long);
    free(upper_valid);
    free(long_json);
}

static void probe_function(const api_fn *f) {
    call_args base;
    char *valid[3] = {NULL, NULL, NULL};
    int i;
    memset(&base, 0, sizeof base);
    base.db = fx.db;
    base.s = session_of(f->who);
    base.n = 0;
    for (i = 0; i < 3; ++i) {
        if (f->slots[i].tmpl != NULL) {
            valid[i] = fill(f->slots[i].tmpl, "\"Fine\"");
            base.p[i] = valid[i];
        } else {
            base.p[i] = f->slots[i].valid;
        }
    }
    if (strcmp(f->name, "ld_me_acknowledge_policy") == 0) base.n = 1;

    /* NULL for each pointer parameter in turn. */
    if (f->out != OUT_NONE) expect_failure(f, base, 1, CODE(LD_EINVAL), "out NULL");
    if (f->handle == H_DB) {
        call_args a = base;
        a.db = NULL;
        expect_failure(f, a, 0, CODE(LD_EINVAL), "db NULL");
    } else if (f->handle == H_SESSION) {
        call_args a = base;
        a.s = NULL;
        expect_failure(f, a, 0, CODE(LD_EINVAL), "session NULL");
    }
    for (i = 0; i < 3; ++i) {
        const int kind = f->slots[i].kind;
        char name[64];
        call_args a = base;
        if (kind == S_NONE || kind == S_JSON_OPT || kind == S_SUBJECT_OPT) continue;
        a.p[i] = NULL;
        snprintf(name, sizeof name, "param %d NULL", i + 1);
        /* NULL for the current operator secret means "none set yet": wrong now. */
        expect_failure(f, a, 0, kind == S_SECRET_CUR ? CODE(LD_EAUTH) : CODE(LD_EINVAL), name);
    }
    /* Bad values for each string parameter. */
    for (i = 0; i < 3; ++i) {
        if (f->slots[i].kind != S_NONE) probe_slot(f, &base, i);
    }
    for (i = 0; i < 3; ++i) free(valid[i]);
}

/* ---- calls outside the table ----------------------------------------------------------------- */

static void test_free_functions(void) {
    /* NULL is ignored by every free function. */
    ld_string_free(NULL);
    ld_bytes_free(NULL);
    ld_session_free(NULL);
    ld_db_close(NULL);
    CHECK(1);
}

static void test_db_open(const char *dir) {
    ld_db *db = SENTINEL;
    char path[512], junk[512];
    static const char *const bad_options[] = {
        "{",
        "[]",
        "42",
        "null",
        "{\"max_blob_bytes\":\"big\"}",
        "{\"max_blob_bytes\":1}",
        "{\"max_blob_bytes\":18446744073709551615}",
        "{\"password_memlimit\":1}",
        "{\"password_opslimit\":0}",
        "{\"session_lifetime_ms\":1.5}",
        "{\"session_lifetime_ms\":-1}",
        "{\"no_such_option\":1}",
        "{\"product_name\":5}",
        "{\"product_name\":\"" BAD_UTF8 "\"}",
        "{\"link_base\":\"\xc3\"}",
    };
    size_t i;
    FILE *f;
    char *long_option;

    CHECK_FAIL(ld_db_open(NULL, ":memory:", NULL), LD_EINVAL);
    CHECK_FAIL(ld_db_open(&db, NULL, NULL), LD_EINVAL);
    CHECK(db == NULL);
    for (i = 0; i < sizeof bad_options / sizeof bad_options[0]; ++i) {
        char label[200];
        db = SENTINEL;
        snprintf(label, sizeof label, "ld_db_open options #%u", (unsigned)i);
        check_failure(ld_db_open(&db, ":memory:", bad_options[i]), CODE(LD_EINVAL), label);
        CHECK(db == NULL);
    }
    long_option = malloc(LONG_LEN + 32);
    if (long_option == NULL) abort();
    sprintf(long_option, "{\"product_name\":\"%s\"}", fx.long_text);
    db = SENTINEL;
    check_failure(ld_db_open(&db, ":memory:", long_option), CODE(LD_EINVAL), "ld_db_open 100 KB option");
    CHECK(db == NULL);
    free(long_option);

    /* Files that cannot be opened, or are not LeanDesk databases. */
    db = SENTINEL;
    snprintf(path, sizeof path, "%s/no/such/dir/x.db", dir);
    check_failure(ld_db_open(&db, path, NULL), CODE(LD_EIO), "ld_db_open missing directory");
    CHECK(db == NULL);
    db = SENTINEL;
    check_failure(ld_db_open(&db, dir, NULL), ANY_OF2(LD_EIO, LD_ECORRUPT), "ld_db_open a directory");
    CHECK(db == NULL);
    snprintf(junk, sizeof junk, "%s/junk.db", dir);
    f = fopen(junk, "wb");
    if (f != NULL) {
        for (i = 0; i < 512; ++i) fputs("this is not a database. ", f);
        fclose(f);
    }
    db = SENTINEL;
    check_failure(ld_db_open(&db, junk, NULL), CODE(LD_ECORRUPT), "ld_db_open a text file");
    CHECK(db == NULL);
    f = fopen(junk, "rb");
    if (f != NULL) {
        char head[32] = {0};
        CHECK(fread(head, 1, 24, f) == 24 && strncmp(head, "this is not a database. ", 24) == 0);
        fclose(f);
    }
    remove(junk);
    db = SENTINEL;
    {
        char *long_path = malloc(LONG_LEN + 16);
        if (long_path == NULL) abort();
        sprintf(long_path, "/tmp/%s", fx.long_text);
        check_failure(ld_db_open(&db, long_path, NULL), ANY_OF2(LD_EIO, LD_EINVAL), "ld_db_open 100 KB path");
        CHECK(db == NULL);
        free(long_path);
    }
}

static void test_special_cases(void) {
    char *out = SENTINEL;
    uint8_t *bytes = SENTINEL;
    size_t size = 5;
    uint64_t id = 99;
    char json[512];
    static uint8_t big[4096];
    static const uint8_t text[] = "plain text, not an image";

    /* Observers: a NULL callback; an unknown id. */
    CHECK_FAIL(ld_db_add_observer(&id, fx.db, NULL, NULL, NULL), LD_EINVAL);
    CHECK(id == 0);
    CHECK_FAIL(ld_db_remove_observer(fx.db, 424242), LD_ENOTFOUND);
    check_unchanged("observers");

    /* The change log's bounds. */
    check_failure(ld_db_changes_since(&out, fx.db, 0, -1), CODE(LD_EINVAL), "ld_db_changes_since limit -1");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_db_changes_since(&out, fx.db, 0, 100001), CODE(LD_EINVAL), "ld_db_changes_since limit 100001");
    CHECK(out == NULL);

    /* Blobs: no place for the size; a NULL image with a size; not an image; too large. */
    check_failure(ld_blob_read(&bytes, NULL, fx.alice, fx.photo_hash), CODE(LD_EINVAL), "ld_blob_read out_size NULL");
    CHECK(bytes == NULL);
    bytes = SENTINEL;
    check_failure(ld_blob_read(NULL, &size, fx.alice, fx.photo_hash), CODE(LD_EINVAL), "ld_blob_read out NULL");
    out = SENTINEL;
    check_failure(ld_me_set_avatar(&out, fx.bob, NULL, 10), CODE(LD_EINVAL), "ld_me_set_avatar NULL image");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_me_set_avatar(&out, fx.bob, text, sizeof text), CODE(LD_EINVAL), "ld_me_set_avatar text");
    CHECK(out == NULL);
    memcpy(big, kPng, sizeof kPng);
    out = SENTINEL;
    check_failure(ld_me_set_avatar(&out, fx.bob, big, sizeof big), CODE(LD_EINVAL), "ld_me_set_avatar too large");
    CHECK(out == NULL);
    check_unchanged("avatars");
    out = SENTINEL;
    check_failure(ld_photo_add(&out, fx.alice, fx.action1, NULL, 10, NULL), CODE(LD_EINVAL),
                  "ld_photo_add NULL image");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_photo_add(&out, fx.alice, fx.action1, NULL, 0, NULL), CODE(LD_EINVAL),
                  "ld_photo_add no bytes");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_photo_add(&out, fx.alice, fx.action1, text, sizeof text, NULL), CODE(LD_EINVAL),
                  "ld_photo_add text");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_photo_add(&out, fx.alice, fx.action1, big, sizeof big, NULL), CODE(LD_EINVAL),
                  "ld_photo_add too large");
    CHECK(out == NULL);
    check_unchanged("photos");

    /* Numbers out of range. */
    out = SENTINEL;
    check_failure(ld_step_move(&out, fx.alice, fx.step_spare, -1), CODE(LD_EINVAL), "ld_step_move -1");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_step_move(&out, fx.alice, fx.step_spare, 99), CODE(LD_EINVAL), "ld_step_move 99");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_step_move(&out, fx.alice, fx.step_spare, INT64_MIN), CODE(LD_EINVAL), "ld_step_move INT64_MIN");
    out = SENTINEL;
    check_failure(ld_me_acknowledge_policy(&out, fx.bob, 0), CODE(LD_EINVAL), "ld_me_acknowledge_policy 0");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_me_acknowledge_policy(&out, fx.bob, -7), CODE(LD_EINVAL), "ld_me_acknowledge_policy -7");
    out = SENTINEL;
    check_failure(ld_me_acknowledge_policy(&out, fx.bob, 99), CODE(LD_EINVAL), "ld_me_acknowledge_policy 99");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_indicator_set_value(&out, fx.alice, fx.indicator_id, "2026-W05", NAN), CODE(LD_EINVAL),
                  "ld_indicator_set_value NaN");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_indicator_set_value(&out, fx.alice, fx.indicator_id, "2026-W05", INFINITY), CODE(LD_EINVAL),
                  "ld_indicator_set_value infinity");
    out = SENTINEL;
    check_failure(ld_indicator_set_value(&out, fx.alice, fx.indicator_id, "2026-W05", 1e300), CODE(LD_EINVAL),
                  "ld_indicator_set_value 1e300");
    check_failure(ld_indicator_clear_value(fx.alice, fx.indicator_id, "2026-W10"), CODE(LD_ENOTFOUND),
                  "ld_indicator_clear_value a week without a value");
    check_unchanged("numbers");
    /* A version number no header ever had. */
    check_failure(ld_check_version(-1), ANY_OF2(LD_ECONFLICT, LD_EINVAL), "ld_check_version(-1)");
    check_failure(ld_check_version(LD_VERSION_NUMBER + 1000000), CODE(LD_ECONFLICT), "ld_check_version(major+1)");

    /* Execute by name: arguments of the wrong shape. */
    {
        static const char *const bad_args[] = {
            "[]",
            "{\"project_id\":5}",
            "{\"project_id\":\"not-an-id\"}",
            "{\"project_id\":\"" BAD_UTF8 "\"}",
            "{\"project_id\":\"" UNKNOWN_ID "\",\"extra\":1}",
            "{}",
        };
        size_t i;
        for (i = 0; i < sizeof bad_args / sizeof bad_args[0]; ++i) {
            char label[100];
            out = SENTINEL;
            snprintf(label, sizeof label, "ld_session_execute get_project args #%u", (unsigned)i);
            check_failure(ld_session_execute(&out, fx.alice, "get_project", bad_args[i]), CODE(LD_EINVAL), label);
            CHECK(out == NULL);
        }
        out = SENTINEL;
        check_failure(ld_session_execute(&out, fx.alice, "get_project", "{\"project_id\":\"" UNKNOWN_ID "\"}"),
                      CODE(LD_ENOTFOUND), "ld_session_execute get_project unknown id");
        CHECK(out == NULL);
        out = SENTINEL;
        check_failure(ld_session_execute(&out, fx.alice, "create_group", "{\"input\":[]}"), CODE(LD_EINVAL),
                      "ld_session_execute create_group input []");
        out = SENTINEL;
        check_failure(ld_session_execute(&out, fx.alice, "create_group", "{\"input\":{\"name\":5}}"),
                      CODE(LD_EINVAL), "ld_session_execute create_group name 5");
        out = SENTINEL;
        check_failure(ld_session_execute(&out, fx.alice, "move_step", fmt("{\"step_id\":\"%s\",\"position\":\"1\"}",
                                                                          fx.step_spare, NULL)),
                      CODE(LD_EINVAL), "ld_session_execute move_step position \"1\"");
        check_unchanged("execute");
    }

    /* A JSON text beyond the engine's input limit (16 MiB) is refused before it is parsed. */
    {
        const size_t huge = 17u * 1024u * 1024u;
        char *big_json = malloc(huge + 32);
        if (big_json == NULL) abort();
        strcpy(big_json, "{\"name\":\"");
        memset(big_json + 9, 'x', huge);
        strcpy(big_json + 9 + huge, "\"}");
        out = SENTINEL;
        check_failure(ld_group_create(&out, fx.alice, big_json), CODE(LD_EINVAL), "ld_group_create 17 MB JSON");
        CHECK(out == NULL);
        free(big_json);
        check_unchanged("17 MB JSON");
    }

    /* Failures of state, not of shape: they change nothing either. */
    out = SENTINEL;
    snprintf(json, sizeof json, "{\"id\":\"%s\",\"name\":\"Twin\"}", fx.group_id);
    check_failure(ld_group_create(&out, fx.alice, json), CODE(LD_ECONFLICT), "ld_group_create with a taken id");
    CHECK(out == NULL);
    out = SENTINEL;
    snprintf(json, sizeof json, "{\"id\":\"%s\",\"project_id\":\"%s\",\"title\":\"Twin\"}", fx.action1,
             fx.project_id);
    check_failure(ld_action_create(&out, fx.alice, json), CODE(LD_ECONFLICT), "ld_action_create with a taken id");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_group_add_member(&out, fx.alice, fx.group_id, "bob@example.com"), CODE(LD_ECONFLICT),
                  "ld_group_add_member twice");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_me_request_email_change(fx.bob, "alice@example.com"), CODE(LD_ECONFLICT),
                  "ld_me_request_email_change to a taken address");
    check_failure(ld_step_remove(fx.alice, fx.step_open), CODE(LD_ECONFLICT), "ld_step_remove a used step");
    out = SENTINEL;
    check_failure(ld_group_update(&out, fx.bob, fx.group_id, "{\"name\":\"Bob's\"}"), CODE(LD_EPERM),
                  "ld_group_update by a member");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_group_get(&out, fx.carol, fx.group_id), CODE(LD_EPERM), "ld_group_get by a non-member");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_operator_active_users(&out, fx.alice), CODE(LD_EPERM), "ld_operator_active_users by a user");
    CHECK(out == NULL);
    check_unchanged("refusals");

    /* A mail sender that fails: the operations that mail fail with LD_EIO and change nothing. */
    CHECK_OK(ld_db_set_mail_sender(fx.db, never_send, NULL, NULL));
    out = SENTINEL;
    check_failure(ld_account_sign_up(&out, fx.db,
                                     "{\"first_name\":\"Zed\",\"last_name\":\"Z\",\"email\":\"zed@example.com\","
                                     "\"password\":\"zed-password-1\"}"),
                  CODE(LD_EIO), "ld_account_sign_up, mail fails");
    CHECK(out == NULL);
    check_failure(ld_me_request_email_change(fx.bob, "bobby@example.com"), CODE(LD_EIO),
                  "ld_me_request_email_change, mail fails");
    check_failure(ld_operator_reset_password(fx.op, fx.carol_id), CODE(LD_EIO),
                  "ld_operator_reset_password, mail fails");
    /* A reset answers the same whether or not the address has an account, so a mail that cannot
     * be sent is logged, not reported (leandesk.h); its code is rolled back with the mail. */
    CHECK_OK(ld_account_request_password_reset(fx.db, "carol@example.com"));
    check_unchanged("failing mail");
    CHECK_OK(ld_db_set_mail_sender(fx.db, test_mail_fn, &fx.mail, NULL));

    /* After a success the last error is cleared. */
    CHECK_FAIL(ld_group_get(&out, fx.alice, UNKNOWN_ID), LD_ENOTFOUND);
    CHECK_OK(ld_group_list(&out, fx.alice));
    CHECK(ld_last_error_code() == LD_OK && ld_last_error()[0] == '\0');
    ld_string_free(out);
}

/* ---- coverage of the header ------------------------------------------------------------------- */

/* Functions probed outside the table, or that take no pointer at all. */
static const char *const kCoveredElsewhere[] = {
    "ld_version",   "ld_version_number", "ld_check_version", "ld_last_error_code", "ld_last_error",
    "ld_error_name", "ld_string_free",   "ld_bytes_free",    "ld_db_open",         "ld_db_close",
    "ld_session_free",
};

/* Every LD_API function declared in the header at `path` is probed: by the table or above. */
static void check_header_coverage(const char *path, const api_fn *table, int n) {
    FILE *f = fopen(path, "r");
    char line[1024];
    int declared = 0;
    if (!CHECK(f != NULL)) return;
    while (fgets(line, sizeof line, f) != NULL) {
        const char *p = strstr(line, "LD_API ");
        const char *name;
        size_t len = 0;
        int i, found = 0;
        char fn[128];
        if (p != NULL && strncmp(line, "#define", 7) == 0) continue;
        if (p == NULL || (name = strstr(p, " ld_")) == NULL) {
            if (p == NULL || (name = strstr(p, "*ld_")) == NULL) continue;
        }
        ++name;
        while (name[len] == '_' || (name[len] >= 'a' && name[len] <= 'z') || (name[len] >= '0' && name[len] <= '9')) {
            ++len;
        }
        if (name[len] != '(' || len >= sizeof fn) continue;
        memcpy(fn, name, len);
        fn[len] = '\0';
        ++declared;
        for (i = 0; i < n && !found; ++i) found = strcmp(table[i].name, fn) == 0;
        for (i = 0; i < (int)(sizeof kCoveredElsewhere / sizeof kCoveredElsewhere[0]) && !found; ++i) {
            found = strcmp(kCoveredElsewhere[i], fn) == 0;
        }
        {
            char what[200];
            snprintf(what, sizeof what, "%s (declared in the header) is probed by this test", fn);
            test_check(found, __FILE__, __LINE__, what);
        }
    }
    fclose(f);
    CHECK(declared >= n);
    printf("%d functions declared in %s, %d probed through the table\n", declared, path, n);
}

/* ---- the fixture ----------------------------------------------------------------------------- */

static char *take(char **out, const char *key) {
    char *v = json_str(*out, key);
    ld_string_free(*out);
    *out = NULL;
    return v;
}

static int setup(void) {
    char *out = NULL;
    char json[1024];
    int i;
    fx.clock_ms = 1767225600000LL; /* 2026-01-01T00:00:00Z */
    fx.long_text = malloc(LONG_LEN + 1);
    if (fx.long_text == NULL) abort();
    for (i = 0; i < LONG_LEN; ++i) fx.long_text[i] = 'a';
    fx.long_text[LONG_LEN] = '\0';

    if (!CHECK_OK(ld_db_open(&fx.db, ":memory:",
                             "{\"password_opslimit\":1,\"password_memlimit\":8192,\"max_blob_bytes\":2048,"
                             "\"max_failed_sign_ins\":1000}"))) {
        return 0;
    }
    CHECK_OK(ld_db_set_clock(fx.db, fixed_clock, &fx.clock_ms, NULL));
    CHECK_OK(ld_db_set_mail_sender(fx.db, test_mail_fn, &fx.mail, NULL));
    fx.alice = test_new_user(fx.db, &fx.mail, "Alice", "Martin", "alice@example.com", ALICE_PW, &fx.alice_id);
    fx.bob = test_new_user(fx.db, &fx.mail, "Bob", "Durand", "bob@example.com", BOB_PW, &fx.bob_id);
    fx.carol = test_new_user(fx.db, &fx.mail, "Carol", "Petit", "carol@example.com", CAROL_PW, &fx.carol_id);
    if (fx.alice == NULL || fx.bob == NULL || fx.carol == NULL) return 0;
    CHECK_OK(ld_session_token(&fx.alice_token, fx.alice));

    CHECK_OK(ld_group_create(&out, fx.alice, "{\"name\":\"Plant\"}"));
    fx.group_id = take(&out, "id");
    CHECK_OK(ld_group_add_member(&out, fx.alice, fx.group_id, "bob@example.com"));
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_step_list(&out, fx.alice, fx.group_id));
    {
        char *first = json_array_at(out, 0);
        fx.step_open = json_str(first, "id");
        free(first);
    }
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_step_add(&out, fx.alice, fx.group_id, "{\"name\":\"Spare\"}"));
    fx.step_spare = take(&out, "id");
    CHECK_OK(ld_resource_add(&out, fx.alice, fx.group_id, "{\"name\":\"Guide\"}"));
    fx.resource_id = take(&out, "id");
    snprintf(json, sizeof json,
             "{\"group_id\":\"%s\",\"name\":\"Leaks\",\"start_date\":\"2026-01-05\",\"target_date\":\"2026-02-23\"}",
             fx.group_id);
    CHECK_OK(ld_project_create(&out, fx.alice, json));
    fx.project_id = take(&out, "id");
    CHECK_OK(ld_project_add_participant(&out, fx.alice, fx.project_id, fx.bob_id));
    ld_string_free(out);
    out = NULL;
    snprintf(json, sizeof json, "{\"project_id\":\"%s\",\"title\":\"Valve\",\"owner_id\":\"%s\"}", fx.project_id,
             fx.bob_id);
    CHECK_OK(ld_action_create(&out, fx.alice, json));
    fx.action1 = take(&out, "id");
    snprintf(json, sizeof json, "{\"project_id\":\"%s\",\"title\":\"Pipes\"}", fx.project_id);
    CHECK_OK(ld_action_create(&out, fx.alice, json));
    fx.action2 = take(&out, "id");
    CHECK_OK(ld_comment_add(&out, fx.alice, fx.action1, "{\"body\":\"First\"}"));
    fx.comment_id = take(&out, "id");
    snprintf(json, sizeof json, "{\"project_id\":\"%s\",\"name\":\"Leaks\",\"baseline\":10,\"target\":2}",
             fx.project_id);
    CHECK_OK(ld_indicator_create(&out, fx.alice, json));
    fx.indicator_id = take(&out, "id");
    CHECK_OK(ld_indicator_set_value(&out, fx.alice, fx.indicator_id, "2026-W03", 8));
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_photo_add(&out, fx.alice, fx.action1, kPng, sizeof kPng, NULL));
    fx.photo_id = json_str(out, "id");
    fx.photo_hash = take(&out, "blob");

    CHECK_OK(ld_operator_set_secret(fx.db, NULL, OP_SECRET));
    CHECK_OK(ld_operator_sign_in(&fx.op, fx.db, OP_SECRET));
    CHECK_OK(ld_operator_publish_policy(&out, fx.op, "First version"));
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_usage_record(fx.db, "{\"event\":\"app_start\"}"));
    return fx.group_id != NULL && fx.project_id != NULL && fx.action1 != NULL && fx.photo_hash != NULL &&
           fx.op != NULL;
}

static void teardown(void) {
    int i;
    ld_session_free(fx.alice);
    ld_session_free(fx.bob);
    ld_session_free(fx.carol);
    ld_session_free(fx.op);
    ld_db_close(fx.db);
    test_mailbox_clear(&fx.mail);
    free(fx.alice_id), free(fx.bob_id), free(fx.carol_id);
    free(fx.group_id), free(fx.project_id), free(fx.step_open), free(fx.step_spare), free(fx.resource_id);
    free(fx.action1), free(fx.action2), free(fx.comment_id), free(fx.indicator_id), free(fx.photo_id);
    free(fx.photo_hash), free(fx.alice_token), free(fx.long_text);
    for (i = 0; i < g_pool_n; ++i) free(g_pool[i]);
}

/* The module headers (export.h, sync.h): NULLs, bad JSON, unknown ids, invalid UTF-8 and
 * over-long strings; each fails with its code and a message, leaves `*out` NULL, changes nothing. */
static void test_module_functions(void) {
    char *out = SENTINEL, *text = SENTINEL;
    ld_db *replica = SENTINEL;
    ld_session *remote = SENTINEL;
    const unsigned long lookup = ANY_OF3(LD_ENOTFOUND, LD_EINVAL, LD_EPERM);

    check_failure(ld_group_export_xlsx(NULL, fx.group_id, "/tmp/x.xlsx", NULL, NULL), CODE(LD_EINVAL),
                  "ld_group_export_xlsx session NULL");
    check_failure(ld_group_export_xlsx(fx.alice, NULL, "/tmp/x.xlsx", NULL, NULL), CODE(LD_EINVAL),
                  "ld_group_export_xlsx group NULL");
    check_failure(ld_group_export_xlsx(fx.alice, fx.group_id, NULL, NULL, NULL), CODE(LD_EINVAL),
                  "ld_group_export_xlsx path NULL");
    check_failure(ld_group_export_xlsx(fx.alice, UNKNOWN_ID, "/tmp/x.xlsx", NULL, NULL), lookup,
                  "ld_group_export_xlsx unknown group");
    check_failure(ld_group_export_xlsx(fx.alice, BAD_UTF8, "/tmp/x.xlsx", NULL, NULL), lookup,
                  "ld_group_export_xlsx invalid UTF-8 id");
    check_failure(ld_group_export_xlsx(fx.alice, fx.long_text, "/tmp/x.xlsx", NULL, NULL), lookup,
                  "ld_group_export_xlsx over-long id");
    check_failure(ld_group_backup(fx.alice, NULL, "/tmp/x-backup", NULL, NULL), CODE(LD_EINVAL),
                  "ld_group_backup group NULL");
    check_failure(ld_group_backup(fx.alice, fx.group_id, NULL, NULL, NULL), CODE(LD_EINVAL),
                  "ld_group_backup folder NULL");
    check_failure(ld_group_restore(NULL, fx.alice, "/tmp", NULL, NULL), CODE(LD_EINVAL),
                  "ld_group_restore out NULL");
    check_failure(ld_group_restore(&out, fx.alice, NULL, NULL, NULL), CODE(LD_EINVAL),
                  "ld_group_restore folder NULL");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_group_restore(&out, fx.alice, "/nonexistent/leandesk-backup", NULL, NULL),
                  ANY_OF2(LD_ENOTFOUND, LD_ECORRUPT), "ld_group_restore no folder");
    CHECK(out == NULL);
    out = SENTINEL;
    check_failure(ld_project_report(&out, &text, fx.alice, NULL), CODE(LD_EINVAL),
                  "ld_project_report project NULL");
    CHECK(out == NULL && text == NULL);
    out = SENTINEL, text = SENTINEL;
    check_failure(ld_project_report(&out, &text, fx.alice, UNKNOWN_ID), lookup,
                  "ld_project_report unknown project");
    CHECK(out == NULL && text == NULL);
    check_failure(ld_project_report_send(fx.alice, fx.project_id, NULL), CODE(LD_EINVAL),
                  "ld_project_report_send recipients NULL");
    check_failure(ld_project_report_send(fx.alice, fx.project_id, "[1, 2"), CODE(LD_EINVAL),
                  "ld_project_report_send bad JSON");
    check_failure(ld_project_report_send(fx.alice, fx.project_id, "{\"id\": 1}"), CODE(LD_EINVAL),
                  "ld_project_report_send wrong shape");
    check_failure(ld_project_report_send(fx.alice, fx.project_id, "[\"" UNKNOWN_ID "\"]"),
                  ANY_OF3(LD_EPERM, LD_ENOTFOUND, LD_EINVAL), "ld_project_report_send unknown user");
    check_unchanged("export functions");

    check_failure(ld_sync_open(NULL, ":memory:", NULL, "https://127.0.0.1:1", NULL, NULL),
                  CODE(LD_EINVAL), "ld_sync_open out NULL");
    check_failure(ld_sync_open(&replica, ":memory:", NULL, NULL, NULL, NULL), CODE(LD_EINVAL),
                  "ld_sync_open url NULL");
    CHECK(replica == NULL);
    replica = SENTINEL;
    check_failure(ld_sync_open(&replica, ":memory:", NULL, "http://127.0.0.1:1", NULL, NULL),
                  CODE(LD_EINVAL), "ld_sync_open plain http");
    CHECK(replica == NULL);
    replica = SENTINEL;
    check_failure(ld_sync_open(&replica, ":memory:", "{\"max_blob_bytes\": \"x\"}",
                               "https://127.0.0.1:1", NULL, NULL),
                  CODE(LD_EINVAL), "ld_sync_open bad options");
    CHECK(replica == NULL);
    check_failure(ld_sync_sign_in(&remote, NULL, "a@example.com", "password"), CODE(LD_EINVAL),
                  "ld_sync_sign_in db NULL");
    CHECK(remote == NULL);
    remote = SENTINEL;
    check_failure(ld_sync_sign_in(&remote, fx.db, "a@example.com", "password"), CODE(LD_EINVAL),
                  "ld_sync_sign_in not a replica");
    CHECK(remote == NULL);
    check_failure(ld_sync_now(NULL, NULL, NULL), CODE(LD_EINVAL), "ld_sync_now db NULL");
    check_failure(ld_sync_now(fx.db, NULL, NULL), CODE(LD_EINVAL), "ld_sync_now not a replica");
    out = SENTINEL;
    check_failure(ld_sync_status(&out, fx.db), CODE(LD_EINVAL), "ld_sync_status not a replica");
    CHECK(out == NULL);
    check_failure(ld_sync_status(NULL, fx.db), CODE(LD_EINVAL), "ld_sync_status out NULL");
    check_failure(ld_sync_cancel(NULL), CODE(LD_EINVAL), "ld_sync_cancel db NULL");
    check_failure(ld_sync_set_rejection_callback(fx.db, NULL, NULL, NULL), CODE(LD_EINVAL),
                  "ld_sync_set_rejection_callback not a replica");
    check_unchanged("sync functions");
}

int main(int argc, char **argv) {
    api_fn table[128];
    int n, i;
    char dir_template[] = "/tmp/leandesk-badinput-XXXXXX";
    const char *dir = mkdtemp(dir_template);

    test_free_functions();
    if (setup()) {
        test_db_open(dir != NULL ? dir : "/tmp");
        fx.fingerprint = fingerprint();
        n = build_table(table);
        if (argc > 1) check_header_coverage(argv[1], table, n);
        for (i = 0; i < n; ++i) probe_function(&table[i]);
        test_special_cases();
        test_module_functions();
        /* The fixture is intact: everyone can still read what they could. */
        check_unchanged("the whole run");
        /* And the fingerprint does see a change (so the checks above mean something). */
        {
            char *out = NULL;
            CHECK_OK(ld_group_update(&out, fx.alice, fx.group_id, "{\"name\":\"Plant 2\"}"));
            ld_string_free(out);
            CHECK(fingerprint() != fx.fingerprint);
        }
        {
            char *out = NULL;
            CHECK_OK(ld_project_review(&out, fx.bob, fx.project_id));
            ld_string_free(out);
        }
    }
    teardown();
    if (dir != NULL) rmdir(dir);
    return test_summary();
}
