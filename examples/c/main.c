/* LeanDesk from C: the smallest complete program.
 *
 * It opens a database in a temporary directory, wires a mail sender that prints the mails LeanDesk
 * wants to send, signs a user up and activates the account with the code from the mail, signs in,
 * creates a group, a project and an action, prints what came back, and shows how an error reads.
 *
 * Ownership, in three rules (leandesk.h says the same at the top):
 *   1. What LeanDesk hands you through an `out` parameter is yours: free it with its own function
 *      (ld_string_free for text, ld_session_free for a session, ld_db_close for the database).
 *      Every free function accepts NULL, and on failure `*out` is set to NULL, so freeing blindly
 *      is always safe.
 *   2. What you pass in (strings, JSON, bytes) stays yours; LeanDesk copies what it keeps.
 *   3. Strings LeanDesk passes *to* your callbacks, and the text of ld_last_error(), are only
 *      borrowed: copy them if you need them later.
 *
 * Build: it is the target `leandesk-example-c`; run build/examples/c/leandesk-example-c. */
#define _POSIX_C_SOURCE 200809L /* for mkdtemp */

#include <leandesk/leandesk.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the mail sender ------------------------------------------------------------------------- */

/* LeanDesk does not send mail itself: it hands each mail to the app. A real app passes it to its
 * mail service; this one prints it and keeps the activation code for main(). */
typedef struct outbox {
    char code[128]; /* the code of the last mail */
} outbox;

/* The code is on the line of the mail's text that starts with four spaces. In the JSON the text's
 * line breaks are written as the two characters \n, so the code follows "\n    " and ends at the
 * next "\n". (A real app would use a JSON parser; the code itself never needs escaping.) */
static void find_code(const char *mail_json, char *code, size_t size) {
    const char *start = strstr(mail_json, "\\n    ");
    const char *end;
    size_t len;
    code[0] = '\0';
    if (start == NULL) return;
    start += 6;
    end = strstr(start, "\\n");
    len = end != NULL ? (size_t)(end - start) : strlen(start);
    if (len >= size) len = size - 1;
    memcpy(code, start, len);
    code[len] = '\0';
}

/* Called by LeanDesk, on the thread of the call that sends the mail (here: ld_account_sign_up),
 * inside its transaction: it must not call LeanDesk. `mail_json` is borrowed for the call only. */
static int print_mail(const char *mail_json, void *userdata) {
    outbox *box = userdata;
    printf("--- mail handed over by LeanDesk ---\n%s\n------------------------------------\n", mail_json);
    find_code(mail_json, box->code, sizeof box->code);
    return 0; /* 0: sent. Non-zero would make the sign-up fail with LD_EIO and change nothing. */
}

/* ---- small helpers --------------------------------------------------------------------------- */

/* Prints why a call failed: its code, the code's name and the thread's last message. */
static int failed(const char *what, int rc) {
    fprintf(stderr, "%s failed: %d (%s): %s\n", what, rc, ld_error_name(rc), ld_last_error());
    return 1;
}

/* Copies the string value of "key" out of a flat JSON object such as {"id":"...",...} (enough for
 * ids, which never need escaping). */
static void json_field(const char *json, const char *key, char *value, size_t size) {
    char pattern[64];
    const char *start, *end;
    size_t len;
    value[0] = '\0';
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    start = strstr(json, pattern);
    if (start == NULL) return;
    start += strlen(pattern);
    end = strchr(start, '"');
    len = end != NULL ? (size_t)(end - start) : 0;
    if (len >= size) len = size - 1;
    memcpy(value, start, len);
    value[len] = '\0';
}

/* ---- the program ----------------------------------------------------------------------------- */

int main(void) {
    char dir_template[] = "/tmp/leandesk-example-XXXXXX";
    char path[256];
    const char *dir;
    ld_db *db = NULL;           /* ours once opened: closed with ld_db_close() */
    ld_session *session = NULL; /* ours once signed in: freed with ld_session_free() */
    char *out = NULL;           /* each result is ours: freed with ld_string_free() */
    outbox box;
    char json[512];
    char user_id[64], group_id[64], project_id[64];
    int rc;

    /* The header and the library must agree; check once, at start-up. */
    if (ld_check_version(LD_VERSION_NUMBER) != LD_OK) {
        fprintf(stderr, "%s\n", ld_last_error());
        return 1;
    }
    printf("LeanDesk %s\n", ld_version());

    /* 1. A database in a fresh temporary directory. NULL options: the defaults. */
    dir = mkdtemp(dir_template);
    if (dir == NULL) return 1;
    snprintf(path, sizeof path, "%s/example.db", dir);
    rc = ld_db_open(&db, path, NULL);
    if (rc != LD_OK) return failed("ld_db_open", rc);
    printf("opened %s\n", path);

    /* 2. The mail sender. `box` is our userdata; we pass no free function because it lives on our
     *    stack and outlives the database. */
    memset(&box, 0, sizeof box);
    ld_db_set_mail_sender(db, print_mail, &box, NULL);

    /* 3. Sign up (the code goes out by mail), activate with the code, sign in. */
    rc = ld_account_sign_up(&out, db,
                            "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
                            "\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}");
    if (rc != LD_OK) return failed("ld_account_sign_up", rc);
    printf("signed up: %s\n", out);
    json_field(out, "id", user_id, sizeof user_id);
    ld_string_free(out); /* done with it: give it back */
    out = NULL;

    rc = ld_account_activate(&out, db, box.code);
    if (rc != LD_OK) return failed("ld_account_activate", rc);
    ld_string_free(out);
    out = NULL;
    rc = ld_session_sign_in(&session, db, "ada@example.com", "correct horse battery");
    if (rc != LD_OK) return failed("ld_session_sign_in", rc);
    printf("signed in as user %s\n", user_id);

    /* 4. A group (Ada manages it), a project in it, an action in the project. */
    rc = ld_group_create(&out, session, "{\"name\":\"Workshop\"}");
    if (rc != LD_OK) return failed("ld_group_create", rc);
    printf("group: %s\n", out);
    json_field(out, "id", group_id, sizeof group_id);
    ld_string_free(out);
    out = NULL;

    snprintf(json, sizeof json, "{\"group_id\":\"%s\",\"name\":\"Tidy the workbench\"}", group_id);
    rc = ld_project_create(&out, session, json);
    if (rc != LD_OK) return failed("ld_project_create", rc);
    printf("project: %s\n", out);
    json_field(out, "id", project_id, sizeof project_id);
    ld_string_free(out);
    out = NULL;

    snprintf(json, sizeof json,
             "{\"project_id\":\"%s\",\"title\":\"Label the drawers\",\"owner_id\":\"%s\","
             "\"due_date\":\"2030-01-31\",\"priority\":2}",
             project_id, user_id);
    rc = ld_action_create(&out, session, json);
    if (rc != LD_OK) return failed("ld_action_create", rc);
    printf("action: %s\n", out);
    ld_string_free(out);
    out = NULL;

    rc = ld_dashboard_get(&out, session);
    if (rc != LD_OK) return failed("ld_dashboard_get", rc);
    printf("Ada's dashboard: %s\n", out);
    ld_string_free(out);
    out = NULL;

    /* 5. An error: an action without a title. The call returns a negative code, `out` stays NULL,
     *    and ld_last_error() explains; its text is valid until this thread's next LeanDesk call. */
    snprintf(json, sizeof json, "{\"project_id\":\"%s\"}", project_id);
    rc = ld_action_create(&out, session, json);
    printf("creating an action without a title: %d (%s): %s; out is %s\n", rc, ld_error_name(rc),
           ld_last_error(), out == NULL ? "NULL" : "set");
    ld_string_free(out); /* NULL here, and freeing NULL is fine */

    /* 6. Tidy up: sessions before their database. Signing out ends the session on the database;
     *    freeing only releases our handle. */
    ld_session_sign_out(session);
    ld_session_free(session);
    ld_db_close(db);

    {
        char file[300];
        snprintf(file, sizeof file, "%s-wal", path);
        remove(file);
        snprintf(file, sizeof file, "%s-shm", path);
        remove(file);
        remove(path);
        rmdir(dir);
    }
    return 0;
}
