/* The whole product flow through the C API only, as an app would drive it: accounts, a group with
 * its steps and resources, a project with participants, actions, comments, indicators, photos, the
 * review and dashboard, observers, sessions (tokens, resume, sign-out, expiry through an injected
 * clock), the operator's powers, usage figures and the signed-in user's own account.
 *
 * Compiled as C99 with -Wall -Wextra -Wpedantic -Werror: it also proves that leandesk.h is C. */
#define _POSIX_C_SOURCE 200809L

#include <leandesk/leandesk.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

/* A 1x1 transparent PNG: a real image, recognised by its content. */
static const uint8_t kPng[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82};

/* Another one (a red pixel), for the avatar: blobs are stored by content, so it must differ. */
static const uint8_t kRedPng[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0xC9, 0xFE, 0x92, 0xEF, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E,
    0x44, 0xAE, 0x42, 0x60, 0x82};

static const char *const kAlicePw = "alice-password-1";
static const char *const kBobPw = "bob-password-123";
static const char *const kCarolPw = "carol-password-1";
static const char *const kOperatorSecret = "operator-secret-0123456789";

#define DAY_MS (24LL * 3600 * 1000)

/* Everything the steps of the scenario share. */
typedef struct scenario {
    ld_db *db;
    test_mailbox mail;
    ld_session *alice, *bob, *carol;
    char *alice_id, *bob_id, *carol_id, *dave_id;
    char *group_id, *project_id;
    char *step_open, *step_todo, *step_doing, *step_done;
    char *action1, *action2, *indicator_id;
} scenario;

/* ---- callbacks ------------------------------------------------------------------------------- */

typedef struct log_counter {
    int lines;
    int freed;
} log_counter;

static void count_log(int level, const char *message, void *userdata) {
    log_counter *c = userdata;
    (void)level;
    if (message != NULL) ++c->lines;
}

static void free_log_counter(void *userdata) { ((log_counter *)userdata)->freed++; }

typedef struct watcher {
    ld_db *db;
    int notifications; /* one per committed unit of work */
    int records;       /* change records received */
    int reentrant_ok;  /* the observer could call back into LeanDesk */
    int freed;
} watcher;

static void watch(const char *changes_json, void *userdata) {
    watcher *w = userdata;
    char *out = NULL;
    ++w->notifications;
    w->records += json_array_len(changes_json);
    /* Observers run after the commit, on the committing thread, and may call LeanDesk. */
    if (ld_db_changes_since(&out, w->db, 0, 1) == LD_OK && json_array_len(out) == 1) {
        ++w->reentrant_ok;
    }
    ld_string_free(out);
}

static void free_watcher(void *userdata) { ((watcher *)userdata)->freed++; }

typedef struct fake_clock {
    int64_t now_ms;
    int freed;
} fake_clock;

static int64_t read_fake_clock(void *userdata) { return ((fake_clock *)userdata)->now_ms; }
static void free_fake_clock(void *userdata) { ((fake_clock *)userdata)->freed++; }

/* ---- small helpers --------------------------------------------------------------------------- */

/* The string field `key` of the JSON in `*out`, then frees `*out`. */
static char *take_str(char **out, const char *key) {
    char *value = json_str(*out, key);
    ld_string_free(*out);
    *out = NULL;
    return value;
}

static int contains(const char *haystack, const char *needle) {
    return haystack != NULL && needle != NULL && strstr(haystack, needle) != NULL;
}

static int array_len_and_free(char **out) {
    const int n = json_array_len(*out);
    ld_string_free(*out);
    *out = NULL;
    return n;
}

/* ---- the scenario ---------------------------------------------------------------------------- */

static void test_versions(void) {
    char expected[32];
    CHECK_STR(ld_version(), LD_VERSION);
    CHECK(ld_version_number() == LD_VERSION_NUMBER);
    snprintf(expected, sizeof expected, "%d.%d.%d", LD_VERSION_MAJOR, LD_VERSION_MINOR,
             LD_VERSION_PATCH);
    CHECK_STR(LD_VERSION, expected);
    CHECK(LD_VERSION_NUMBER == LD_VERSION_MAJOR * 1000000 + LD_VERSION_MINOR * 1000 + LD_VERSION_PATCH);

    CHECK_OK(ld_check_version(LD_VERSION_NUMBER));
    CHECK(ld_last_error_code() == LD_OK);
    CHECK_STR(ld_last_error(), "");
    /* An older minor of the same major is served. */
    if (LD_VERSION_MINOR > 0) CHECK_OK(ld_check_version(LD_VERSION_NUMBER - 1000));
    /* Another major is not, nor a newer minor; the message names both versions. */
    CHECK_FAIL(ld_check_version(LD_VERSION_NUMBER + 1000000), LD_ECONFLICT);
    CHECK(contains(ld_last_error(), LD_VERSION));
    CHECK(contains(ld_last_error(), "1.1"));
    CHECK_FAIL(ld_check_version(LD_VERSION_NUMBER + 1000), LD_ECONFLICT);
    CHECK_OK(ld_check_version(LD_VERSION_NUMBER));
    CHECK_STR(ld_last_error(), "");
}

static void test_error_names(void) {
    static const int codes[] = {LD_OK,       LD_ERROR,    LD_ENOTFOUND, LD_EPERM,      LD_EINVAL,
                                LD_ECONFLICT, LD_ENOTSIGNEDIN, LD_ESESSION, LD_ENETWORK, LD_EIO,
                                LD_EBUSY,    LD_ENOMEM,   LD_ERATELIMIT, LD_ECANCELLED, LD_ECORRUPT,
                                LD_EINTERNAL, LD_EAUTH};
    const size_t n = sizeof codes / sizeof codes[0];
    size_t i, j;
    CHECK_STR(ld_error_name(LD_OK), "ok");
    CHECK_STR(ld_error_name(LD_EPERM), "permission denied");
    CHECK_STR(ld_error_name(LD_ENOTFOUND), "not found");
    CHECK_STR(ld_error_name(LD_EINVAL), "invalid argument");
    for (i = 0; i < n; ++i) {
        /* Distinct codes, each with its own non-empty name. */
        CHECK(ld_error_name(codes[i]) != NULL && ld_error_name(codes[i])[0] != '\0');
        CHECK(codes[i] == LD_OK || codes[i] < 0);
        for (j = i + 1; j < n; ++j) {
            CHECK(codes[i] != codes[j]);
            CHECK(strcmp(ld_error_name(codes[i]), ld_error_name(codes[j])) != 0);
        }
    }
    /* Codes the library does not know still have a name. */
    CHECK(ld_error_name(-9999) != NULL && ld_error_name(-9999)[0] != '\0');
    CHECK(ld_error_name(12345) != NULL);
}

static void test_accounts(scenario *s) {
    char *out = NULL;
    const int changes = test_change_count(s->db);
    char *info;

    /* Storage as designed: WAL, foreign keys, secure delete. */
    CHECK_OK(ld_db_storage_info(&out, s->db));
    info = out;
    {
        char *mode = json_str(info, "journal_mode");
        CHECK_STR(mode, "wal");
        free(mode);
    }
    CHECK(json_bool(info, "foreign_keys") == 1);
    CHECK(json_bool(info, "secure_delete") == 1);
    CHECK(json_int(info, "schema_version", 0) >= 1);
    ld_string_free(info);
    out = NULL;

    /* No mail sender yet: sign-up cannot mail the code, fails with LD_EIO and changes nothing. */
    CHECK_FAIL(ld_account_sign_up(&out, s->db,
                                  "{\"first_name\":\"Alice\",\"last_name\":\"Martin\","
                                  "\"email\":\"alice@example.com\",\"password\":\"alice-password-1\"}"),
               LD_EIO);
    CHECK(out == NULL);
    CHECK(test_change_count(s->db) == changes);

    CHECK_OK(ld_db_set_mail_sender(s->db, test_mail_fn, &s->mail, test_mailbox_free_fn));

    /* A sender that refuses the mail: the sign-up fails the same way and leaves nothing behind. */
    s->mail.fail_next = 1;
    CHECK_FAIL(ld_account_sign_up(&out, s->db,
                                  "{\"first_name\":\"Alice\",\"last_name\":\"Martin\","
                                  "\"email\":\"alice@example.com\",\"password\":\"alice-password-1\"}"),
               LD_EIO);
    CHECK(test_change_count(s->db) == changes);
    CHECK(s->mail.count == 0);

    /* Password rules and R17. */
    CHECK_FAIL(ld_account_sign_up(&out, s->db,
                                  "{\"first_name\":\"A\",\"last_name\":\"M\",\"email\":\"a@example.com\","
                                  "\"password\":\"short\"}"),
               LD_EINVAL);
    CHECK_FAIL(ld_account_sign_up(&out, s->db,
                                  "{\"first_name\":\"A\",\"last_name\":\"M\",\"email\":\"a@example.com\","
                                  "\"password\":\"long-enough-pw\",\"postal_address\":\"1 Main St\"}"),
               LD_EINVAL);
    CHECK(contains(ld_last_error(), "R17"));
    CHECK(test_change_count(s->db) == changes);

    s->alice = test_new_user(s->db, &s->mail, "Alice", "Martin", "alice@example.com", kAlicePw,
                             &s->alice_id);
    s->bob = test_new_user(s->db, &s->mail, "Bob", "Durand", "bob@example.com", kBobPw, &s->bob_id);
    s->carol = test_new_user(s->db, &s->mail, "Carol", "Petit", "carol@example.com", kCarolPw,
                             &s->carol_id);
    CHECK(s->alice != NULL && s->bob != NULL && s->carol != NULL);
    CHECK(s->mail.count == 3);

    /* R16: activated, the display name is "First Last". */
    CHECK_OK(ld_me_get(&out, s->alice));
    {
        char *name = json_str(out, "display_name");
        CHECK_STR(name, "Alice Martin");
        free(name);
    }
    CHECK(json_int(out, "activated_at", 0) > 0);
    ld_string_free(out);
    out = NULL;

    /* The activation code is single-use. */
    {
        char *code = test_mail_code(test_mailbox_last(&s->mail, "alice@example.com"));
        CHECK(code != NULL && strlen(code) >= 16);
        CHECK_FAIL(ld_account_activate(&out, s->db, code), LD_EAUTH);
        CHECK(out == NULL);
        free(code);
    }
    CHECK_FAIL(ld_account_activate(&out, s->db, "not-a-code"), LD_EAUTH);

    /* Resending to an activated or unknown address says nothing and sends nothing. */
    CHECK_OK(ld_account_resend_activation(s->db, "alice@example.com"));
    CHECK_OK(ld_account_resend_activation(s->db, "nobody@example.com"));
    CHECK(s->mail.count == 3);

    /* One account per address, and the answer does not tell: a sign-up for a taken address
     * answers like any other, changes nothing and mails the owner that someone tried (no code). */
    CHECK_OK(ld_account_sign_up(&out, s->db,
                                "{\"first_name\":\"Al\",\"last_name\":\"M\",\"email\":\"ALICE@example.com\","
                                "\"password\":\"another-password\"}"));
    CHECK(json_int(out, "activated_at", 0) == 0);
    ld_string_free(out);
    out = NULL;
    CHECK(s->mail.count == 4);
    CHECK(test_mail_code(test_mailbox_last(&s->mail, "alice@example.com")) == NULL);

    /* Wrong password and unknown account: the same answer. */
    {
        ld_session *none = (ld_session *)&s->mail; /* any non-NULL value: it must be set to NULL */
        CHECK_FAIL(ld_session_sign_in(&none, s->db, "alice@example.com", "wrong-password-1"), LD_EAUTH);
        CHECK(none == NULL);
        CHECK_FAIL(ld_session_sign_in(&none, s->db, "nobody@example.com", "wrong-password-1"), LD_EAUTH);
        CHECK(none == NULL);
    }

    /* A second sign-up, activated through resend_activation. */
    {
        int before = s->mail.count;
        char *code;
        CHECK_OK(ld_account_sign_up(&out, s->db,
                                    "{\"first_name\":\"Erin\",\"last_name\":\"Roux\","
                                    "\"email\":\"erin@example.com\",\"password\":\"erin-password-1\"}"));
        ld_string_free(out);
        out = NULL;
        CHECK_OK(ld_account_resend_activation(s->db, "erin@example.com"));
        CHECK(s->mail.count == before + 2);
        code = test_mail_code(test_mailbox_last(&s->mail, "erin@example.com"));
        CHECK(code != NULL);
        CHECK_OK(ld_account_activate(&out, s->db, code));
        CHECK(json_bool(out, "deactivated") == 0);
        ld_string_free(out);
        out = NULL;
        free(code);
    }
}

static void test_group(scenario *s) {
    char *out = NULL;
    char *steps;

    /* R1: any active user creates a group and manages it. */
    CHECK_OK(ld_group_create(&out, s->alice, "{\"name\":\"Plant 1\"}"));
    s->group_id = json_str(out, "id");
    {
        char *manager = json_str(out, "manager_id");
        CHECK_STR(manager, s->alice_id);
        free(manager);
    }
    ld_string_free(out);
    out = NULL;
    CHECK(s->group_id != NULL && strlen(s->group_id) == 36);

    CHECK_OK(ld_group_get(&out, s->alice, s->group_id));
    {
        char *name = take_str(&out, "name");
        CHECK_STR(name, "Plant 1");
        free(name);
    }
    CHECK_OK(ld_group_list(&out, s->alice));
    CHECK(array_len_and_free(&out) == 1);
    CHECK_OK(ld_group_update(&out, s->alice, s->group_id, "{\"name\":\"Plant One\"}"));
    {
        char *name = take_str(&out, "name");
        CHECK_STR(name, "Plant One");
        free(name);
    }

    /* R13: nothing of a group is visible to a non-member. */
    CHECK_DENIED(ld_group_get(&out, s->bob, s->group_id), "R13");
    CHECK(out == NULL);
    CHECK_DENIED(ld_group_update(&out, s->bob, s->group_id, "{\"name\":\"Mine\"}"), "R13");
    CHECK_OK(ld_group_list(&out, s->bob));
    CHECK(array_len_and_free(&out) == 0);

    /* R2: the manager adds members by e-mail; R16: an unknown address becomes a person. */
    CHECK_OK(ld_group_add_member(&out, s->alice, s->group_id, "bob@example.com"));
    {
        char *id = take_str(&out, "id");
        CHECK_STR(id, s->bob_id);
        free(id);
    }
    CHECK_OK(ld_group_add_member(&out, s->alice, s->group_id, "carol@example.com"));
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_group_add_member(&out, s->alice, s->group_id, "dave@example.com"));
    s->dave_id = json_str(out, "id");
    CHECK(json_bool(out, "activated") == 0);
    {
        char *name = take_str(&out, "display_name");
        CHECK_STR(name, "dave@example.com");
        free(name);
    }
    CHECK_FAIL(ld_group_add_member(&out, s->alice, s->group_id, "bob@example.com"), LD_ECONFLICT);
    CHECK_DENIED(ld_group_add_member(&out, s->bob, s->group_id, "eve@example.com"), "R2");
    CHECK_DENIED(ld_group_update(&out, s->bob, s->group_id, "{\"name\":\"Mine\"}"), "R2");
    CHECK_DENIED(ld_group_delete(s->bob, s->group_id), "R2");
    CHECK_DENIED(ld_group_remove_member(s->bob, s->group_id, s->carol_id), "R2");
    CHECK_DENIED(ld_group_remove_member(s->alice, s->group_id, s->alice_id), "R3");
    CHECK_DENIED(ld_group_leave(s->alice, s->group_id), "R3");

    /* R13: e-mail addresses only where the viewer may see them. */
    CHECK_OK(ld_group_members(&out, s->bob, s->group_id));
    CHECK(json_array_len(out) == 4);
    {
        char *me = json_array_find(out, "id", s->bob_id);
        char *manager = json_array_find(out, "id", s->alice_id);
        char *email = json_str(me, "email");
        CHECK_STR(email, "bob@example.com");
        CHECK(json_raw(manager, "email") == NULL);
        free(email);
        free(me);
        free(manager);
    }
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_group_members(&out, s->alice, s->group_id));
    {
        char *carol = json_array_find(out, "id", s->carol_id);
        char *email = json_str(carol, "email");
        CHECK_STR(email, "carol@example.com"); /* the manager of a common group sees it */
        free(email);
        free(carol);
    }
    ld_string_free(out);
    out = NULL;

    /* Steps: the defaults, then add, update, move, remove (manager only). */
    CHECK_OK(ld_step_list(&out, s->bob, s->group_id));
    steps = out;
    out = NULL;
    CHECK(json_array_len(steps) == 4);
    {
        char *st;
        st = json_array_at(steps, 0), s->step_open = json_str(st, "id");
        CHECK(contains(st, "\"kind\":\"open\""));
        free(st);
        st = json_array_at(steps, 1), s->step_todo = json_str(st, "id"), free(st);
        st = json_array_at(steps, 2), s->step_doing = json_str(st, "id"), free(st);
        st = json_array_at(steps, 3), s->step_done = json_str(st, "id");
        CHECK(contains(st, "\"kind\":\"done\""));
        free(st);
    }
    ld_string_free(steps);

    CHECK_OK(ld_step_add(&out, s->alice, s->group_id, "{\"name\":\"Review\",\"kind\":\"active\"}"));
    {
        char *step_id = json_str(out, "id");
        CHECK(json_int(out, "position", -1) == 4);
        ld_string_free(out);
        out = NULL;
        CHECK_OK(ld_step_update(&out, s->alice, step_id, "{\"name\":\"Checking\"}"));
        {
            char *name = take_str(&out, "name");
            CHECK_STR(name, "Checking");
            free(name);
        }
        CHECK_OK(ld_step_move(&out, s->alice, step_id, 3));
        {
            char *third = json_array_at(out, 3);
            char *fourth = json_array_at(out, 4);
            char *id3 = json_str(third, "id");
            char *id4 = json_str(fourth, "id");
            CHECK_STR(id3, step_id);
            CHECK_STR(id4, s->step_done);
            free(id3), free(id4), free(third), free(fourth);
        }
        ld_string_free(out);
        out = NULL;
        CHECK_FAIL(ld_step_move(&out, s->alice, step_id, 5), LD_EINVAL);
        CHECK_DENIED(ld_step_add(&out, s->bob, s->group_id, "{\"name\":\"Bob's\"}"), "R2");
        CHECK_DENIED(ld_step_update(&out, s->bob, step_id, "{\"name\":\"Bob's\"}"), "R2");
        CHECK_DENIED(ld_step_move(&out, s->bob, step_id, 0), "R2");
        CHECK_DENIED(ld_step_remove(s->bob, step_id), "R2");
        CHECK_OK(ld_step_remove(s->alice, step_id));
        CHECK_FAIL(ld_step_remove(s->alice, step_id), LD_ENOTFOUND);
        free(step_id);
    }
    CHECK_OK(ld_step_list(&out, s->alice, s->group_id));
    CHECK(array_len_and_free(&out) == 4);

    /* Shared resources (R2). */
    CHECK_OK(ld_resource_add(&out, s->alice, s->group_id,
                             "{\"name\":\"Guide\",\"url\":\"https://example.com/guide\"}"));
    {
        char *res_id = take_str(&out, "id");
        CHECK_OK(ld_resource_list(&out, s->bob, s->group_id));
        CHECK(array_len_and_free(&out) == 1);
        CHECK_OK(ld_resource_update(&out, s->alice, res_id, "{\"note\":\"Read me first\"}"));
        {
            char *note = take_str(&out, "note");
            CHECK_STR(note, "Read me first");
            free(note);
        }
        CHECK_FAIL(ld_resource_update(&out, s->alice, res_id, "{\"url\":\"ftp://example.com\"}"), LD_EINVAL);
        CHECK_DENIED(ld_resource_add(&out, s->bob, s->group_id, "{\"name\":\"Mine\"}"), "R2");
        CHECK_DENIED(ld_resource_update(&out, s->bob, res_id, "{\"name\":\"Mine\"}"), "R2");
        CHECK_DENIED(ld_resource_remove(s->bob, res_id), "R2");
        CHECK_OK(ld_resource_remove(s->alice, res_id));
        free(res_id);
    }
    CHECK_OK(ld_resource_list(&out, s->alice, s->group_id));
    CHECK(array_len_and_free(&out) == 0);
}

static void test_project(scenario *s) {
    char *out = NULL;
    char input[512];

    /* R5: any member creates a project, owns it and is its first participant. */
    snprintf(input, sizeof input,
             "{\"group_id\":\"%s\",\"name\":\"Fewer leaks\",\"description\":\"Line 2\","
             "\"start_date\":\"2026-01-05\",\"target_date\":\"2026-03-30\"}",
             s->group_id);
    CHECK_OK(ld_project_create(&out, s->bob, input));
    s->project_id = json_str(out, "id");
    {
        char *owner = take_str(&out, "owner_id");
        CHECK_STR(owner, s->bob_id);
        free(owner);
    }
    CHECK_OK(ld_project_get(&out, s->bob, s->project_id));
    {
        char *name = take_str(&out, "name");
        CHECK_STR(name, "Fewer leaks");
        free(name);
    }
    CHECK_OK(ld_project_list(&out, s->bob));
    CHECK(array_len_and_free(&out) == 1);
    /* R7: the manager sees every project of the group without taking part. */
    CHECK_OK(ld_project_list(&out, s->alice));
    CHECK(array_len_and_free(&out) == 0);
    CHECK_OK(ld_group_projects(&out, s->alice, s->group_id));
    CHECK(array_len_and_free(&out) == 1);
    CHECK_OK(ld_project_get(&out, s->alice, s->project_id));
    ld_string_free(out);
    out = NULL;
    /* R8: a member who is not a participant does not. */
    CHECK_OK(ld_group_projects(&out, s->carol, s->group_id));
    CHECK(array_len_and_free(&out) == 0);
    CHECK_DENIED(ld_project_get(&out, s->carol, s->project_id), "R8");

    /* R6: participants. */
    CHECK_OK(ld_project_add_participant(&out, s->bob, s->project_id, s->carol_id));
    {
        char *user = take_str(&out, "user_id");
        CHECK_STR(user, s->carol_id);
        free(user);
    }
    CHECK_DENIED(ld_project_add_participant(&out, s->carol, s->project_id, s->dave_id), "R6");
    CHECK_OK(ld_project_add_participant(&out, s->alice, s->project_id, s->dave_id)); /* R7 */
    ld_string_free(out);
    out = NULL;
    CHECK_FAIL(ld_project_add_participant(&out, s->bob, s->project_id, s->dave_id), LD_ECONFLICT);
    CHECK_OK(ld_project_participants(&out, s->carol, s->project_id));
    CHECK(json_array_len(out) == 3);
    {
        /* R8: co-participants see each other's e-mail. */
        char *bob = json_array_find(out, "id", s->bob_id);
        char *email = json_str(bob, "email");
        CHECK_STR(email, "bob@example.com");
        free(email);
        free(bob);
    }
    ld_string_free(out);
    out = NULL;
    CHECK_DENIED(ld_project_remove_participant(s->carol, s->project_id, s->dave_id), "R6");
    CHECK_DENIED(ld_project_remove_participant(s->bob, s->project_id, s->bob_id), "R6");
    CHECK_DENIED(ld_project_leave(s->bob, s->project_id), "R6");
    CHECK_OK(ld_project_remove_participant(s->bob, s->project_id, s->dave_id));
    CHECK_OK(ld_project_participants(&out, s->bob, s->project_id));
    CHECK(array_len_and_free(&out) == 2);

    CHECK_OK(ld_project_update(&out, s->carol, s->project_id,
                               "{\"name\":\"Fewer leaks on line 2\",\"future_state\":\"Dry floor\"}"));
    {
        char *name = take_str(&out, "name");
        CHECK_STR(name, "Fewer leaks on line 2");
        free(name);
    }
    CHECK_FAIL(ld_project_update(&out, s->bob, s->project_id, "{\"status\":\"paused\"}"), LD_EINVAL);
    CHECK_DENIED(ld_project_delete(s->carol, s->project_id), "R7");
}

static void test_actions(scenario *s) {
    char *out = NULL;
    char input[1024];

    /* R9: every participant creates actions; without a step they go to the open step. */
    snprintf(input, sizeof input,
             "{\"project_id\":\"%s\",\"title\":\"Fix the valve\",\"owner_id\":\"%s\","
             "\"due_date\":\"2020-01-06\",\"priority\":2}",
             s->project_id, s->bob_id);
    CHECK_OK(ld_action_create(&out, s->carol, input));
    s->action1 = json_str(out, "id");
    {
        char *step = json_str(out, "step_id");
        CHECK_STR(step, s->step_open);
        free(step);
    }
    CHECK(json_bool(out, "overdue") == 1);
    CHECK(json_int(out, "priority", -1) == 2);
    ld_string_free(out);
    out = NULL;

    snprintf(input, sizeof input, "{\"project_id\":\"%s\",\"title\":\"Train the team\",\"step_id\":\"%s\"}",
             s->project_id, s->step_todo);
    CHECK_OK(ld_action_create(&out, s->bob, input));
    s->action2 = take_str(&out, "id");

    /* R9: the group manager reads but does not edit the plan. */
    snprintf(input, sizeof input, "{\"project_id\":\"%s\",\"title\":\"Manager's\"}", s->project_id);
    CHECK_DENIED(ld_action_create(&out, s->alice, input), "R9");
    CHECK_OK(ld_action_get(&out, s->alice, s->action1));
    ld_string_free(out);
    out = NULL;
    /* Owners must be participants. */
    snprintf(input, sizeof input, "{\"owner_id\":\"%s\"}", s->alice_id);
    CHECK_FAIL(ld_action_update(&out, s->bob, s->action1, input), LD_EINVAL);

    CHECK_OK(ld_action_update(&out, s->bob, s->action1,
                              "{\"title\":\"Fix the main valve\",\"progress\":50,\"due_date\":null}"));
    {
        char *title = json_str(out, "title");
        CHECK_STR(title, "Fix the main valve");
        free(title);
    }
    CHECK(json_int(out, "progress", -1) == 50);
    CHECK(contains(out, "\"due_date\":null"));
    CHECK(json_bool(out, "overdue") == 0);
    ld_string_free(out);
    out = NULL;

    /* Moves: into a step (last), before another action, into the done step and back. */
    CHECK_OK(ld_action_move(&out, s->carol, s->action1, s->step_todo, NULL));
    {
        char *step = take_str(&out, "step_id");
        CHECK_STR(step, s->step_todo);
        free(step);
    }
    CHECK_OK(ld_project_actions(&out, s->bob, s->project_id));
    {
        char *first = json_array_at(out, 0);
        char *id = json_str(first, "id");
        CHECK_STR(id, s->action2);
        free(id), free(first);
    }
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_action_move(&out, s->carol, s->action1, s->step_todo, s->action2));
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_project_actions(&out, s->bob, s->project_id));
    CHECK(json_array_len(out) == 2);
    {
        char *first = json_array_at(out, 0);
        char *id = json_str(first, "id");
        CHECK_STR(id, s->action1);
        free(id), free(first);
    }
    ld_string_free(out);
    out = NULL;
    CHECK_FAIL(ld_action_move(&out, s->carol, s->action1, s->step_todo, s->action1), LD_EINVAL);
    CHECK_OK(ld_action_move(&out, s->bob, s->action2, s->step_done, NULL));
    CHECK(json_int(out, "done_at", 0) > 0);
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_action_move(&out, s->bob, s->action2, s->step_doing, NULL));
    CHECK(contains(out, "\"done_at\":null"));
    ld_string_free(out);
    out = NULL;
    /* A step that still holds actions cannot go. */
    CHECK_FAIL(ld_step_remove(s->alice, s->step_doing), LD_ECONFLICT);

    /* Create and delete (R14). */
    snprintf(input, sizeof input, "{\"project_id\":\"%s\",\"title\":\"Temporary\"}", s->project_id);
    CHECK_OK(ld_action_create(&out, s->carol, input));
    {
        char *tmp = take_str(&out, "id");
        CHECK_DENIED(ld_action_delete(s->alice, tmp), "R9");
        CHECK_OK(ld_action_delete(s->bob, tmp));
        CHECK_FAIL(ld_action_get(&out, s->bob, tmp), LD_ENOTFOUND);
        CHECK_FAIL(ld_action_delete(s->bob, tmp), LD_ENOTFOUND);
        free(tmp);
    }
    CHECK_OK(ld_project_actions(&out, s->carol, s->project_id));
    CHECK(array_len_and_free(&out) == 2);

    /* Comments: any participant adds; only the author deletes. */
    CHECK_OK(ld_comment_add(&out, s->carol, s->action1, "{\"body\":\"Ordered the part.\\nArrives Monday.\"}"));
    {
        char *comment_id = json_str(out, "id");
        char *body = json_str(out, "body");
        CHECK_STR(body, "Ordered the part.\nArrives Monday.");
        free(body);
        ld_string_free(out);
        out = NULL;
        CHECK_OK(ld_action_get(&out, s->bob, s->action1));
        {
            char *comments = json_raw(out, "comments");
            char *action = json_raw(out, "action");
            char *id = json_str(action, "id");
            CHECK(json_array_len(comments) == 1);
            CHECK_STR(id, s->action1);
            free(comments), free(action), free(id);
        }
        ld_string_free(out);
        out = NULL;
        CHECK_DENIED(ld_comment_delete(s->bob, comment_id), "R9");
        CHECK_OK(ld_comment_delete(s->carol, comment_id));
        CHECK_FAIL(ld_comment_delete(s->carol, comment_id), LD_ENOTFOUND);
        free(comment_id);
    }
    CHECK_OK(ld_comment_add(&out, s->bob, s->action1, "{\"body\":\"Done soon.\"}"));
    ld_string_free(out);
    out = NULL;
}

static void test_indicators(scenario *s) {
    char *out = NULL;
    char input[1024];

    snprintf(input, sizeof input,
             "{\"project_id\":\"%s\",\"name\":\"Leaks\",\"unit\":\"per week\",\"baseline\":10,\"target\":2}",
             s->project_id);
    CHECK_OK(ld_indicator_create(&out, s->carol, input));
    s->indicator_id = take_str(&out, "id");
    CHECK_DENIED(ld_indicator_create(&out, s->alice, input), "R9");
    CHECK_OK(ld_indicator_update(&out, s->bob, s->indicator_id, "{\"target\":1.5}"));
    CHECK(contains(out, "\"target\":1.5"));
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_project_indicators(&out, s->alice, s->project_id));
    CHECK(array_len_and_free(&out) == 1);

    /* An action's impact moves the expected curve from its due week on. */
    snprintf(input, sizeof input,
             "{\"indicator_id\":\"%s\",\"impact\":-3,\"due_date\":\"2026-02-04\"}", s->indicator_id);
    CHECK_OK(ld_action_update(&out, s->bob, s->action1, input));
    ld_string_free(out);
    out = NULL;

    CHECK_OK(ld_indicator_set_value(&out, s->carol, s->indicator_id, "2026-W03", 9.5));
    {
        char *week = json_str(out, "week");
        CHECK_STR(week, "2026-W03");
        free(week);
    }
    CHECK(contains(out, "\"actual\":9.5"));
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_indicator_set_value(&out, s->carol, s->indicator_id, "2026-W07", 6.0));
    ld_string_free(out);
    out = NULL;
    CHECK_FAIL(ld_indicator_set_value(&out, s->carol, s->indicator_id, "2026-W60", 1.0), LD_EINVAL);

    CHECK_OK(ld_indicator_curve(&out, s->bob, s->indicator_id));
    {
        /* From the project's start (2026-W02) to its target date (2026-W14). */
        char *w03 = json_array_find(out, "week", "2026-W03");
        char *w04 = json_array_find(out, "week", "2026-W04");
        char *w07 = json_array_find(out, "week", "2026-W07");
        CHECK(json_array_len(out) == 13);
        CHECK(contains(w03, "\"actual\":9.5"));
        CHECK(contains(w03, "\"expected\":10"));
        CHECK(contains(w04, "\"actual\":null"));
        CHECK(contains(w07, "\"expected\":7")); /* 10 - 3 once the action is due (2026-W06) */
        free(w03), free(w04), free(w07);
    }
    ld_string_free(out);
    out = NULL;

    CHECK_OK(ld_indicator_clear_value(s->bob, s->indicator_id, "2026-W07"));
    CHECK_FAIL(ld_indicator_clear_value(s->bob, s->indicator_id, "2026-W07"), LD_ENOTFOUND);

    /* A second indicator, deleted: linked actions would keep their impact. */
    snprintf(input, sizeof input, "{\"project_id\":\"%s\",\"name\":\"Scrap\"}", s->project_id);
    CHECK_OK(ld_indicator_create(&out, s->bob, input));
    {
        char *id = take_str(&out, "id");
        CHECK_OK(ld_indicator_delete(s->bob, id));
        CHECK_FAIL(ld_indicator_curve(&out, s->bob, id), LD_ENOTFOUND);
        free(id);
    }
    CHECK_OK(ld_project_indicators(&out, s->bob, s->project_id));
    CHECK(array_len_and_free(&out) == 1);
}

static void test_photos(scenario *s) {
    char *out = NULL;
    uint8_t *bytes = NULL;
    size_t size = 7;
    static const uint8_t not_an_image[] = "just some text, not an image";

    CHECK_OK(ld_photo_add(&out, s->carol, s->action1, kPng, sizeof kPng,
                          "{\"caption\":\"The valve\"}"));
    {
        char *photo_id = json_str(out, "id");
        char *hash = json_str(out, "blob");
        char *mime = json_str(out, "mime");
        CHECK_STR(mime, "image/png");
        CHECK(json_int(out, "size", 0) == (int64_t)sizeof kPng);
        CHECK(hash != NULL && strlen(hash) == 64);
        ld_string_free(out);
        out = NULL;

        CHECK_OK(ld_action_get(&out, s->bob, s->action1));
        {
            char *photos = json_raw(out, "photos");
            CHECK(json_array_len(photos) == 1);
            free(photos);
        }
        ld_string_free(out);
        out = NULL;

        /* The bytes come back as they went in, to participants and the group manager (R7). */
        CHECK_OK(ld_blob_read(&bytes, &size, s->bob, hash));
        CHECK(size == sizeof kPng && bytes != NULL && memcmp(bytes, kPng, size) == 0);
        ld_bytes_free(bytes);
        bytes = NULL;
        CHECK_OK(ld_blob_read(&bytes, &size, s->alice, hash));
        CHECK(size == sizeof kPng);
        ld_bytes_free(bytes);
        bytes = NULL;
        /* Knowing a hash grants nothing. */
        CHECK_FAIL(ld_blob_read(&bytes, &size, s->bob,
                                "0000000000000000000000000000000000000000000000000000000000000000"),
                   LD_ENOTFOUND);
        CHECK(bytes == NULL && size == 0);

        CHECK_DENIED(ld_photo_remove(s->alice, photo_id), "R9");
        CHECK_OK(ld_photo_remove(s->bob, photo_id));
        CHECK_FAIL(ld_blob_read(&bytes, &size, s->bob, hash), LD_ENOTFOUND);
        CHECK_FAIL(ld_photo_remove(s->bob, photo_id), LD_ENOTFOUND);
        free(photo_id), free(hash), free(mime);
    }
    CHECK_FAIL(ld_photo_add(&out, s->carol, s->action1, not_an_image, sizeof not_an_image, NULL),
               LD_EINVAL);
    CHECK(out == NULL);
    /* NULL input_json is allowed. */
    CHECK_OK(ld_photo_add(&out, s->carol, s->action1, kPng, sizeof kPng, NULL));
    ld_string_free(out);
    out = NULL;
}

static void test_views(scenario *s) {
    char *out = NULL;
    char ids[256];

    /* Dashboard: the user's own actions (action1 is Bob's). */
    CHECK_OK(ld_dashboard_get(&out, s->bob));
    {
        char *mine = json_array_find(out, "id", s->action1);
        CHECK(mine != NULL);
        CHECK(json_array_len(out) == 1);
        free(mine);
    }
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_dashboard_get(&out, s->carol));
    CHECK(array_len_and_free(&out) == 0);

    /* Review: the project with every step and its actions, participants and indicators. */
    CHECK_OK(ld_project_review(&out, s->alice, s->project_id));
    {
        char *project = json_raw(out, "project");
        char *steps = json_raw(out, "steps");
        char *people = json_raw(out, "participants");
        char *indicators = json_raw(out, "indicators");
        char *pid = json_str(project, "id");
        char *todo = json_array_at(steps, 1);
        char *todo_actions = json_raw(todo, "actions");
        CHECK_STR(pid, s->project_id);
        CHECK(json_array_len(steps) == 4);
        CHECK(json_array_len(todo_actions) == 1);
        CHECK(json_array_len(people) == 2);
        CHECK(json_array_len(indicators) == 1);
        free(project), free(steps), free(people), free(indicators), free(pid), free(todo),
            free(todo_actions);
    }
    ld_string_free(out);
    out = NULL;

    /* R15: the report goes to participants only, asked by a participant. */
    snprintf(ids, sizeof ids, "[\"%s\",\"%s\"]", s->carol_id, s->bob_id);
    CHECK_OK(ld_project_report_recipients(&out, s->bob, s->project_id, ids));
    CHECK(json_array_len(out) == 2);
    {
        char *carol = json_array_find(out, "id", s->carol_id);
        char *email = json_str(carol, "email");
        CHECK_STR(email, "carol@example.com");
        free(email), free(carol);
    }
    ld_string_free(out);
    out = NULL;
    snprintf(ids, sizeof ids, "[\"%s\"]", s->alice_id);
    CHECK_DENIED(ld_project_report_recipients(&out, s->bob, s->project_id, ids), "R15");
    snprintf(ids, sizeof ids, "[\"%s\"]", s->bob_id);
    CHECK_DENIED(ld_project_report_recipients(&out, s->alice, s->project_id, ids), "R15");
    CHECK_FAIL(ld_project_report_recipients(&out, s->bob, s->project_id, "[]"), LD_EINVAL);
}

static void test_observers(scenario *s) {
    char *out = NULL;
    char input[512];
    uint64_t id = 0, second = 0;
    watcher w, w2;
    memset(&w, 0, sizeof w);
    memset(&w2, 0, sizeof w2);
    w.db = s->db;
    w2.db = s->db;

    CHECK_OK(ld_db_add_observer(&id, s->db, watch, &w, free_watcher));
    CHECK(id != 0);
    CHECK_OK(ld_db_add_observer(&second, s->db, watch, &w2, NULL));
    CHECK(second != id);

    /* One unit of work, one notification; reads tell nobody. */
    snprintf(input, sizeof input, "{\"project_id\":\"%s\",\"title\":\"Observed\"}", s->project_id);
    CHECK_OK(ld_action_create(&out, s->bob, input));
    {
        char *action = take_str(&out, "id");
        CHECK(w.notifications == 1 && w.records == 1);
        CHECK(w.reentrant_ok == 1);
        CHECK(w2.notifications == 1);
        CHECK_OK(ld_project_actions(&out, s->bob, s->project_id));
        ld_string_free(out);
        out = NULL;
        CHECK(w.notifications == 1);
        /* A refused write tells nobody either. */
        CHECK_DENIED(ld_action_delete(s->alice, action), "R9");
        CHECK(w.notifications == 1);
        CHECK_OK(ld_action_delete(s->bob, action));
        CHECK(w.notifications == 2);
        free(action);
    }
    /* A new group logs the group, the membership and four steps, told at once. */
    CHECK_OK(ld_group_create(&out, s->carol, "{\"name\":\"Carol's\"}"));
    {
        char *gid = take_str(&out, "id");
        CHECK(w.notifications == 3 && w.records == 2 + 6);
        CHECK_OK(ld_group_delete(s->carol, gid));
        CHECK(w.notifications == 4);
        free(gid);
    }

    /* Removal: its free function runs, and it hears nothing more. */
    CHECK_OK(ld_db_remove_observer(s->db, id));
    CHECK(w.freed == 1);
    CHECK_FAIL(ld_db_remove_observer(s->db, id), LD_ENOTFOUND);
    CHECK_OK(ld_group_update(&out, s->alice, s->group_id, "{\"name\":\"Plant 1\"}"));
    ld_string_free(out);
    out = NULL;
    CHECK(w.notifications == 4);
    CHECK(w2.notifications == 5);
    CHECK_OK(ld_db_remove_observer(s->db, second));
    CHECK(w.freed == 1 && w2.freed == 0);

    /* The change log itself. */
    CHECK_OK(ld_db_changes_since(&out, s->db, 0, 5));
    CHECK(json_array_len(out) == 5);
    {
        char *first = json_array_at(out, 0);
        CHECK(json_int(first, "seq", 0) >= 1);
        char *entity = json_str(first, "entity");
        CHECK(entity != NULL && entity[0] != '\0');
        free(entity);
        free(first);
    }
    ld_string_free(out);
    out = NULL;
    {
        const int all = test_change_count(s->db);
        CHECK_OK(ld_db_changes_since(&out, s->db, all - 2 > 0 ? all - 2 : 0, 100));
        CHECK(json_array_len(out) <= 2);
        ld_string_free(out);
        out = NULL;
    }
    CHECK_OK(ld_db_checkpoint(s->db));
}

static void test_execute(scenario *s) {
    char *out = NULL;
    char args[512];

    snprintf(args, sizeof args, "{\"project_id\":\"%s\"}", s->project_id);
    CHECK_OK(ld_session_execute(&out, s->bob, "get_project", args));
    {
        char *id = take_str(&out, "id");
        CHECK_STR(id, s->project_id);
        free(id);
    }
    CHECK_OK(ld_session_execute(&out, s->bob, "my_groups", NULL));
    CHECK(array_len_and_free(&out) == 1);
    CHECK_OK(ld_session_execute(&out, s->bob, "dashboard", "{}"));
    CHECK(array_len_and_free(&out) == 1);
    snprintf(args, sizeof args, "{\"input\":{\"project_id\":\"%s\",\"title\":\"By name\"}}", s->project_id);
    CHECK_OK(ld_session_execute(&out, s->carol, "create_action", args));
    {
        char *id = take_str(&out, "id");
        snprintf(args, sizeof args, "{\"action_id\":\"%s\"}", id);
        CHECK_OK(ld_session_execute(&out, s->carol, "delete_action", args));
        CHECK_STR(out, "null");
        ld_string_free(out);
        out = NULL;
        free(id);
    }
    snprintf(args, sizeof args, "{\"input\":{\"project_id\":\"%s\",\"title\":\"Manager\"}}", s->project_id);
    CHECK_DENIED(ld_session_execute(&out, s->alice, "create_action", args), "R9");
    CHECK_FAIL(ld_session_execute(&out, s->bob, "no_such_command", NULL), LD_EINVAL);
    CHECK_FAIL(ld_session_execute(&out, s->bob, "my_groups", "{\"extra\":1}"), LD_EINVAL);
}

static void test_sessions(scenario *s) {
    char *out = NULL;
    char *token = NULL;
    ld_session *again = NULL, *extra = NULL;
    fake_clock clock;
    memset(&clock, 0, sizeof clock);

    CHECK_OK(ld_session_info(&out, s->bob));
    {
        char *user = json_str(out, "user_id");
        CHECK_STR(user, s->bob_id);
        free(user);
    }
    CHECK(json_bool(out, "is_operator") == 0);
    CHECK(json_bool(out, "policy_notice_required") == 0);
    CHECK(json_int(out, "expires_at", 0) > (int64_t)time(NULL) * 1000);
    ld_string_free(out);
    out = NULL;

    /* A token the app keeps, and a session resumed from it. */
    CHECK_OK(ld_session_token(&token, s->bob));
    CHECK(token != NULL && strlen(token) >= 22);
    CHECK_OK(ld_session_resume(&again, s->db, token));
    CHECK(again != NULL);
    CHECK_OK(ld_me_get(&out, again));
    {
        char *id = take_str(&out, "id");
        CHECK_STR(id, s->bob_id);
        free(id);
    }
    /* Each sign-in is a new token. */
    CHECK_OK(ld_session_sign_in(&extra, s->db, "bob@example.com", kBobPw));
    {
        char *other = NULL;
        CHECK_OK(ld_session_token(&other, extra));
        CHECK(other != NULL && strcmp(other, token) != 0);
        ld_string_free(other);
    }
    /* Freeing a handle does not end the session. */
    ld_session_free(again);
    again = NULL;
    CHECK_OK(ld_session_resume(&again, s->db, token));
    /* Signing out does: every handle on that token now fails. */
    CHECK_OK(ld_session_sign_out(again));
    CHECK_FAIL(ld_me_get(&out, again), LD_ESESSION);
    CHECK(out == NULL);
    CHECK_FAIL(ld_group_list(&out, s->bob), LD_ESESSION);
    CHECK_FAIL(ld_session_info(&out, s->bob), LD_ESESSION);
    ld_session_free(again);
    again = NULL;
    CHECK_FAIL(ld_session_resume(&again, s->db, token), LD_ESESSION);
    CHECK(again == NULL);
    CHECK_FAIL(ld_session_resume(&again, s->db, "not a token"), LD_ENOTSIGNEDIN);
    ld_string_free(token);
    ld_session_free(s->bob);
    /* The other sign-in is untouched. */
    s->bob = extra;
    CHECK_OK(ld_group_list(&out, s->bob));
    CHECK(array_len_and_free(&out) == 1);

    /* Expiry follows an injected clock: idle too long, then past the absolute lifetime. */
    clock.now_ms = (int64_t)time(NULL) * 1000;
    CHECK_OK(ld_db_set_clock(s->db, read_fake_clock, &clock, free_fake_clock));
    CHECK_OK(ld_session_sign_in(&extra, s->db, "carol@example.com", kCarolPw));
    clock.now_ms += 13 * DAY_MS;
    CHECK_OK(ld_me_get(&out, extra)); /* still within the 14-day idle timeout; marks activity */
    ld_string_free(out);
    out = NULL;
    clock.now_ms += 15 * DAY_MS;
    CHECK_FAIL(ld_me_get(&out, extra), LD_ESESSION);
    ld_session_free(extra);
    extra = NULL;

    CHECK_OK(ld_session_sign_in(&extra, s->db, "carol@example.com", kCarolPw));
    {
        int i;
        for (i = 0; i < 3; ++i) {
            clock.now_ms += 10 * DAY_MS; /* never idle for 14 days ... */
            if (i < 2) {
                CHECK_OK(ld_me_get(&out, extra));
                ld_string_free(out);
                out = NULL;
            }
        }
        /* ... but 30 days after sign-in the session is over. */
        CHECK_FAIL(ld_me_get(&out, extra), LD_ESESSION);
    }
    ld_session_free(extra);
    extra = NULL;
    /* The long-lived sessions of the others went idle as well under that clock. */
    CHECK_FAIL(ld_me_get(&out, s->carol), LD_ESESSION);

    /* Back to the system clock: the injected one is released. */
    CHECK_OK(ld_db_set_clock(s->db, NULL, NULL, NULL));
    CHECK(clock.freed == 1);
    ld_session_free(s->alice);
    ld_session_free(s->bob);
    ld_session_free(s->carol);
    s->alice = s->bob = s->carol = NULL;
    CHECK_OK(ld_session_sign_in(&s->alice, s->db, "alice@example.com", kAlicePw));
    CHECK_OK(ld_session_sign_in(&s->bob, s->db, "bob@example.com", kBobPw));
    CHECK_OK(ld_session_sign_in(&s->carol, s->db, "carol@example.com", kCarolPw));
}

static void test_operator(scenario *s) {
    char *out = NULL;
    ld_session *op = NULL, *carol2 = NULL;
    int mails;

    /* The operator's secret. */
    CHECK_FAIL(ld_operator_sign_in(&op, s->db, kOperatorSecret), LD_EAUTH);
    CHECK(op == NULL);
    CHECK_FAIL(ld_operator_set_secret(s->db, NULL, "too-short"), LD_EINVAL);
    CHECK_OK(ld_operator_set_secret(s->db, NULL, kOperatorSecret));
    CHECK_FAIL(ld_operator_set_secret(s->db, "wrong-secret-0123456789", "another-secret-0123456789"), LD_EAUTH);
    CHECK_FAIL(ld_operator_sign_in(&op, s->db, "wrong-secret-0123456789"), LD_EAUTH);
    CHECK_OK(ld_operator_sign_in(&op, s->db, kOperatorSecret));
    CHECK_OK(ld_session_info(&out, op));
    CHECK(json_bool(out, "is_operator") == 1);
    CHECK(contains(out, "\"user_id\":null"));
    ld_string_free(out);
    out = NULL;

    /* R12: users have none of these powers. */
    CHECK_DENIED(ld_operator_get_user(&out, s->bob, s->carol_id), "R12");
    CHECK_DENIED(ld_operator_set_user_status(&out, s->bob, s->bob_id, "gold"), NULL);
    CHECK_DENIED(ld_operator_set_user_deactivated(&out, s->bob, s->carol_id, 1), "R12");
    CHECK_DENIED(ld_operator_change_login_email(&out, s->bob, s->carol_id, "x@example.com"), "R12");
    CHECK_DENIED(ld_operator_reset_password(s->bob, s->carol_id), "R12");
    CHECK_DENIED(ld_operator_publish_policy(&out, s->bob, "New policy"), "R12");
    CHECK_DENIED(ld_operator_active_users(&out, s->bob), "R12");
    CHECK_DENIED(ld_operator_newsletter_recipients(&out, s->bob), "R12");
    CHECK_DENIED(ld_operator_usage_report(&out, s->bob), "R12");
    /* The operator does not act on group data. */
    CHECK_DENIED(ld_group_create(&out, op, "{\"name\":\"Operator's\"}"), NULL);

    CHECK_OK(ld_operator_get_user(&out, op, s->carol_id));
    {
        char *email = take_str(&out, "email");
        CHECK_STR(email, "carol@example.com");
        free(email);
    }

    /* Status, visible to group mates (R13). */
    CHECK_OK(ld_operator_set_user_status(&out, op, s->bob_id, "gold"));
    {
        char *status = take_str(&out, "status");
        CHECK_STR(status, "gold");
        free(status);
    }
    CHECK_FAIL(ld_operator_set_user_status(&out, op, s->bob_id, "platinum"), LD_EINVAL);
    CHECK_OK(ld_group_members(&out, s->carol, s->group_id));
    {
        char *bob = json_array_find(out, "id", s->bob_id);
        CHECK(contains(bob, "\"status\":\"gold\""));
        free(bob);
    }
    ld_string_free(out);
    out = NULL;

    /* Deactivation ends every session of the user at once; reactivation lets them back. */
    CHECK_OK(ld_operator_set_user_deactivated(&out, op, s->carol_id, 1));
    CHECK(json_bool(out, "deactivated") == 1);
    ld_string_free(out);
    out = NULL;
    CHECK_FAIL(ld_me_get(&out, s->carol), LD_ESESSION);
    CHECK_DENIED(ld_session_sign_in(&carol2, s->db, "carol@example.com", kCarolPw), "R12");
    CHECK(carol2 == NULL);
    CHECK_OK(ld_operator_set_user_deactivated(&out, op, s->carol_id, 0));
    CHECK(json_bool(out, "deactivated") == 0);
    ld_string_free(out);
    out = NULL;
    ld_session_free(s->carol);
    s->carol = NULL;
    CHECK_OK(ld_session_sign_in(&s->carol, s->db, "carol@example.com", kCarolPw));

    /* Login e-mail. */
    CHECK_FAIL(ld_operator_change_login_email(&out, op, s->carol_id, "bob@example.com"), LD_ECONFLICT);
    CHECK_OK(ld_operator_change_login_email(&out, op, s->carol_id, "carol.petit@example.com"));
    {
        char *email = take_str(&out, "email");
        CHECK_STR(email, "carol.petit@example.com");
        free(email);
    }
    CHECK_FAIL(ld_session_sign_in(&carol2, s->db, "carol@example.com", kCarolPw), LD_EAUTH);
    CHECK_OK(ld_session_sign_in(&carol2, s->db, "carol.petit@example.com", kCarolPw));
    ld_session_free(carol2);
    carol2 = NULL;

    /* Password reset by the operator: a mailed code, the user's sessions end. */
    mails = s->mail.count;
    CHECK_OK(ld_operator_reset_password(op, s->carol_id));
    CHECK(s->mail.count == mails + 1);
    CHECK_FAIL(ld_me_get(&out, s->carol), LD_ESESSION);
    {
        char *code = test_mail_code(test_mailbox_last(&s->mail, "carol.petit@example.com"));
        CHECK(code != NULL);
        CHECK_FAIL(ld_account_reset_password(s->db, code, "short"), LD_EINVAL);
        CHECK_OK(ld_account_reset_password(s->db, code, "carol-new-password"));
        CHECK_FAIL(ld_account_reset_password(s->db, code, "carol-other-password"), LD_EAUTH);
        free(code);
    }
    CHECK_FAIL(ld_session_sign_in(&carol2, s->db, "carol.petit@example.com", kCarolPw), LD_EAUTH);
    ld_session_free(s->carol);
    s->carol = NULL;
    CHECK_OK(ld_session_sign_in(&s->carol, s->db, "carol.petit@example.com", "carol-new-password"));

    /* The same by the user: a reset requested by e-mail; unknown addresses are ignored. */
    mails = s->mail.count;
    CHECK_OK(ld_account_request_password_reset(s->db, "nobody@example.com"));
    CHECK(s->mail.count == mails);
    CHECK_OK(ld_account_request_password_reset(s->db, "erin@example.com"));
    CHECK(s->mail.count == mails + 1);
    {
        char *code = test_mail_code(test_mailbox_last(&s->mail, "erin@example.com"));
        ld_session *erin = NULL;
        CHECK_OK(ld_account_reset_password(s->db, code, "erin-password-2"));
        CHECK_OK(ld_session_sign_in(&erin, s->db, "erin@example.com", "erin-password-2"));
        ld_session_free(erin);
        free(code);
    }

    /* A privacy-policy version: users see the notice at their next sign-in. */
    CHECK_OK(ld_operator_publish_policy(&out, op, "We now keep logs for 30 days."));
    CHECK(json_int(out, "version", 0) == 1);
    ld_string_free(out);
    out = NULL;
    {
        ld_session *bob2 = NULL;
        CHECK_OK(ld_session_sign_in(&bob2, s->db, "bob@example.com", kBobPw));
        CHECK_OK(ld_session_info(&out, bob2));
        CHECK(json_bool(out, "policy_notice_required") == 1);
        CHECK(json_int(out, "policy_version", 0) == 1);
        ld_string_free(out);
        out = NULL;
        CHECK_FAIL(ld_me_acknowledge_policy(&out, bob2, 2), LD_EINVAL);
        CHECK_OK(ld_me_acknowledge_policy(&out, bob2, 1));
        CHECK(json_int(out, "accepted_policy_version", 0) == 1);
        ld_string_free(out);
        out = NULL;
        CHECK_OK(ld_session_info(&out, bob2));
        CHECK(json_bool(out, "policy_notice_required") == 0);
        ld_string_free(out);
        out = NULL;
        ld_session_free(bob2);
    }
    CHECK_OK(ld_session_info(&out, s->alice));
    CHECK(json_bool(out, "policy_notice_required") == 1);
    ld_string_free(out);
    out = NULL;

    /* Active users (all who signed in) and newsletter recipients (consent, on by default). */
    CHECK_OK(ld_operator_active_users(&out, op));
    CHECK(json_array_len(out) == 4); /* alice, bob, carol, erin; dave never signed in */
    CHECK(json_array_find(out, "email", "dave@example.com") == NULL);
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_me_update(&out, s->bob, "{\"newsletter_opt_in\":false}"));
    CHECK(json_bool(out, "newsletter_opt_in") == 0);
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_operator_newsletter_recipients(&out, op));
    {
        char *alice = json_array_find(out, "email", "alice@example.com");
        char *bob = json_array_find(out, "email", "bob@example.com");
        CHECK(alice != NULL && bob == NULL);
        CHECK(json_array_find(out, "email", "dave@example.com") == NULL); /* not activated */
        free(alice), free(bob);
    }
    ld_string_free(out);
    out = NULL;

    /* Anonymous usage figures. */
    {
        int enabled = -1;
        CHECK_OK(ld_usage_enabled(&enabled, s->db));
        CHECK(enabled == 1);
        CHECK_OK(ld_usage_record(s->db, "{\"event\":\"app_start\",\"platform\":\"linux\","
                                        "\"os_version\":\"6.1\",\"app_version\":\"0.1.0\","
                                        "\"device_class\":\"desktop\"}"));
        CHECK_OK(ld_usage_record(s->db, "{\"event\":\"app_start\",\"platform\":\"linux\","
                                        "\"os_version\":\"6.1\",\"app_version\":\"0.1.0\","
                                        "\"device_class\":\"desktop\"}"));
        CHECK_OK(ld_usage_record(s->db, "{\"event\":\"sync\"}"));
        CHECK_FAIL(ld_usage_record(s->db, "{\"event\":\"app_start\",\"user_id\":\"x\"}"), LD_EINVAL);
        CHECK_OK(ld_operator_usage_report(&out, op));
        {
            char *start = json_array_find(out, "event", "app_start");
            char *sync = json_array_find(out, "event", "sync");
            CHECK(json_array_len(out) == 2);
            CHECK(json_int(start, "count", 0) == 2);
            CHECK(json_int(sync, "count", 0) == 1);
            CHECK(!contains(out, s->bob_id) && !contains(out, "@"));
            free(start), free(sync);
        }
        ld_string_free(out);
        out = NULL;
        CHECK_OK(ld_usage_set_enabled(s->db, 0));
        CHECK_OK(ld_usage_enabled(&enabled, s->db));
        CHECK(enabled == 0);
        CHECK_OK(ld_usage_record(s->db, "{\"event\":\"sync\"}"));
        CHECK_OK(ld_operator_usage_report(&out, op));
        {
            char *sync = json_array_find(out, "event", "sync");
            CHECK(json_int(sync, "count", 0) == 1);
            free(sync);
        }
        ld_string_free(out);
        out = NULL;
        CHECK_OK(ld_usage_set_enabled(s->db, 1));
        CHECK_OK(ld_usage_enabled(&enabled, s->db));
        CHECK(enabled == 1);
    }

    /* A new secret ends every operator session. */
    CHECK_OK(ld_operator_set_secret(s->db, kOperatorSecret, "second-operator-secret-42"));
    CHECK_FAIL(ld_operator_active_users(&out, op), LD_ESESSION);
    ld_session_free(op);
    op = NULL;
    CHECK_OK(ld_operator_sign_in(&op, s->db, "second-operator-secret-42"));
    CHECK_OK(ld_session_sign_out(op));
    ld_session_free(op);
}

static void test_me(scenario *s) {
    char *out = NULL;
    ld_session *bob2 = NULL;

    CHECK_OK(ld_me_get(&out, s->bob));
    {
        char *email = json_str(out, "email");
        CHECK_STR(email, "bob@example.com");
        CHECK(json_int(out, "created_at", 0) > 0);
        free(email);
    }
    ld_string_free(out);
    out = NULL;

    CHECK_OK(ld_me_update(&out, s->bob, "{\"first_name\":\"Robert\",\"show_open_actions_on_dashboard\":false}"));
    {
        char *name = json_str(out, "display_name");
        CHECK_STR(name, "Robert Durand");
        free(name);
    }
    CHECK(json_bool(out, "show_open_actions_on_dashboard") == 0);
    ld_string_free(out);
    out = NULL;
    /* R11/R12: the status only by the operator; the e-mail only through a verified change. */
    CHECK_DENIED(ld_me_update(&out, s->bob, "{\"status\":\"gold\"}"), NULL);
    CHECK_FAIL(ld_me_update(&out, s->bob, "{\"email\":\"b@example.com\"}"), LD_EINVAL);

    /* E-mail change: a code mailed to the new address, applied by ld_account_activate. */
    CHECK_FAIL(ld_me_request_email_change(s->bob, "alice@example.com"), LD_ECONFLICT);
    CHECK_OK(ld_me_request_email_change(s->bob, "robert@example.com"));
    {
        char *code = test_mail_code(test_mailbox_last(&s->mail, "robert@example.com"));
        CHECK(code != NULL);
        CHECK_OK(ld_me_get(&out, s->bob));
        CHECK(contains(out, "\"email\":\"bob@example.com\"")); /* unchanged until confirmed */
        ld_string_free(out);
        out = NULL;
        CHECK_OK(ld_account_activate(&out, s->db, code));
        {
            char *email = take_str(&out, "email");
            CHECK_STR(email, "robert@example.com");
            free(email);
        }
        free(code);
    }

    /* Password change: the current one is required; the other sessions end, this one stays. */
    CHECK_OK(ld_session_sign_in(&bob2, s->db, "robert@example.com", kBobPw));
    CHECK_FAIL(ld_me_change_password(s->bob, "not-my-password", "bob-password-456"), LD_EAUTH);
    CHECK_FAIL(ld_me_change_password(s->bob, kBobPw, "short"), LD_EINVAL);
    CHECK_OK(ld_me_change_password(s->bob, kBobPw, "bob-password-456"));
    CHECK_FAIL(ld_me_get(&out, bob2), LD_ESESSION);
    ld_session_free(bob2);
    bob2 = NULL;
    CHECK_OK(ld_me_get(&out, s->bob));
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_session_sign_in(&bob2, s->db, "robert@example.com", "bob-password-456"));
    ld_session_free(bob2);

    /* Avatar: an image, visible to group mates (R13); size 0 removes it. */
    CHECK_OK(ld_me_set_avatar(&out, s->bob, kRedPng, sizeof kRedPng));
    {
        char *hash = take_str(&out, "avatar");
        uint8_t *bytes = NULL;
        size_t size = 0;
        CHECK(hash != NULL && strlen(hash) == 64);
        CHECK_OK(ld_blob_read(&bytes, &size, s->carol, hash));
        CHECK(size == sizeof kRedPng && bytes != NULL && memcmp(bytes, kRedPng, size) == 0);
        ld_bytes_free(bytes);
        bytes = NULL;
        CHECK_OK(ld_me_set_avatar(&out, s->bob, NULL, 0));
        CHECK(contains(out, "\"avatar\":null"));
        ld_string_free(out);
        out = NULL;
        CHECK_FAIL(ld_blob_read(&bytes, &size, s->carol, hash), LD_ENOTFOUND);
        free(hash);
    }
    CHECK_FAIL(ld_me_set_avatar(&out, s->bob, (const uint8_t *)"GIF89a......", 12), LD_EINVAL);
}

static void test_endings(scenario *s) {
    char *out = NULL;
    ld_session *gone = NULL;

    /* R3: a manager hands over before deleting the account. */
    CHECK_FAIL(ld_me_delete_account(s->alice, kAlicePw), LD_EPERM);
    CHECK(strncmp(ld_last_error(), "R3:", 3) == 0);
    CHECK_FAIL(ld_me_delete_account(s->carol, "wrong-password-1"), LD_EAUTH);

    /* Carol deletes her account: memberships end, her session ends. */
    CHECK_OK(ld_me_delete_account(s->carol, "carol-new-password"));
    CHECK_FAIL(ld_me_get(&out, s->carol), LD_ESESSION);
    CHECK_FAIL(ld_session_sign_in(&gone, s->db, "carol.petit@example.com", "carol-new-password"), LD_EAUTH);
    CHECK_OK(ld_group_members(&out, s->alice, s->group_id));
    CHECK(json_array_len(out) == 3);
    CHECK(json_array_find(out, "id", s->carol_id) == NULL);
    ld_string_free(out);
    out = NULL;
    CHECK_OK(ld_project_participants(&out, s->bob, s->project_id));
    CHECK(array_len_and_free(&out) == 1);

    /* Project ownership and the manager role change hands. */
    CHECK_OK(ld_project_add_participant(&out, s->bob, s->project_id, s->alice_id));
    ld_string_free(out);
    out = NULL;
    CHECK_DENIED(ld_project_transfer(&out, s->bob, s->project_id, s->dave_id), "R6");
    CHECK_OK(ld_project_transfer(&out, s->bob, s->project_id, s->alice_id));
    {
        char *owner = take_str(&out, "owner_id");
        CHECK_STR(owner, s->alice_id);
        free(owner);
    }
    CHECK_OK(ld_project_leave(s->bob, s->project_id));
    CHECK_DENIED(ld_project_get(&out, s->bob, s->project_id), "R8");

    CHECK_OK(ld_group_remove_member(s->alice, s->group_id, s->dave_id));
    CHECK_FAIL(ld_group_remove_member(s->alice, s->group_id, s->dave_id), LD_ENOTFOUND);
    CHECK_DENIED(ld_group_transfer(&out, s->alice, s->group_id, s->dave_id), "R2");
    CHECK_OK(ld_group_transfer(&out, s->alice, s->group_id, s->bob_id));
    {
        char *manager = take_str(&out, "manager_id");
        CHECK_STR(manager, s->bob_id);
        free(manager);
    }
    CHECK_OK(ld_group_leave(s->alice, s->group_id));
    CHECK_OK(ld_group_list(&out, s->alice));
    CHECK(array_len_and_free(&out) == 0);
    /* R4: leaving the group left its projects; R7: the manager still sees and deletes them. */
    CHECK_OK(ld_group_projects(&out, s->bob, s->group_id));
    CHECK(array_len_and_free(&out) == 1);
    CHECK_OK(ld_project_delete(s->bob, s->project_id));
    CHECK_FAIL(ld_project_get(&out, s->bob, s->project_id), LD_ENOTFOUND);
    CHECK_FAIL(ld_action_get(&out, s->bob, s->action1), LD_ENOTFOUND); /* R14: cascades */
    CHECK_OK(ld_group_delete(s->bob, s->group_id));
    CHECK_FAIL(ld_group_get(&out, s->bob, s->group_id), LD_ENOTFOUND);
    CHECK(out == NULL);

    /* Now that Alice manages nothing she may delete her account. */
    CHECK_OK(ld_me_delete_account(s->alice, kAlicePw));
    CHECK_FAIL(ld_me_get(&out, s->alice), LD_ESESSION);
}

int main(void) {
    scenario s;
    log_counter logs = {0, 0};
    char dir_template[] = "/tmp/leandesk-capi-XXXXXX";
    char path[256];
    const char *dir;
    memset(&s, 0, sizeof s);

    test_versions();
    test_error_names();

    dir = mkdtemp(dir_template);
    if (!CHECK(dir != NULL)) return test_summary();
    snprintf(path, sizeof path, "%s/scenario.db", dir);
    CHECK_FAIL(ld_db_open(&s.db, path, "{\"password_opslimit\":1,\"no_such_option\":1}"), LD_EINVAL);
    CHECK(s.db == NULL);
    if (!CHECK_OK(ld_db_open(&s.db, path, TEST_DB_OPTIONS))) return test_summary();
    CHECK_OK(ld_db_set_log(s.db, count_log, &logs, free_log_counter));

    test_accounts(&s);
    CHECK(logs.lines > 0); /* sign-ups and activations are logged */
    if (s.alice != NULL && s.bob != NULL && s.carol != NULL) {
        test_group(&s);
        test_project(&s);
        test_actions(&s);
        test_indicators(&s);
        test_photos(&s);
        test_views(&s);
        test_observers(&s);
        test_execute(&s);
        test_sessions(&s);
        test_operator(&s);
        test_me(&s);
        test_endings(&s);
    }

    ld_session_free(s.alice);
    ld_session_free(s.bob);
    ld_session_free(s.carol);
    /* Replacing the log callback frees the old userdata; closing frees the rest. */
    CHECK_OK(ld_db_set_log(s.db, NULL, NULL, NULL));
    CHECK(logs.freed == 1);
    CHECK(s.mail.free_calls == 0);
    ld_db_close(s.db);
    CHECK(s.mail.free_calls == 1);

    /* The file holds the data: reopen it and read the change log. */
    CHECK_OK(ld_db_open(&s.db, path, TEST_DB_OPTIONS));
    CHECK(test_change_count(s.db) > 50);
    ld_db_close(s.db);

    free(s.alice_id), free(s.bob_id), free(s.carol_id), free(s.dave_id);
    free(s.group_id), free(s.project_id);
    free(s.step_open), free(s.step_todo), free(s.step_doing), free(s.step_done);
    free(s.action1), free(s.action2), free(s.indicator_id);
    test_mailbox_clear(&s.mail);
    {
        char file[300];
        snprintf(file, sizeof file, "%s-wal", path);
        remove(file);
        snprintf(file, sizeof file, "%s-shm", path);
        remove(file);
        remove(path);
        rmdir(dir);
    }
    return test_summary();
}
