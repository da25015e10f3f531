/* The child of the crash test: opens the database through the C API, signs in and runs command
 * after command on one project, from command number <first> on. After each command returns LD_OK
 * it writes "<n>\n" to stdout in one write(2): that line is the acknowledgement the parent holds
 * the database to. The parent kills this process with SIGKILL at a random moment.
 *
 *   crash_driver <database> <project id> <first command number>
 *
 * Command n (see crash_test.cpp, expected_state(), which must agree):
 *   n % 5 in {0,1,2}  create action U(n) titled "a<n>" with a 1.5 KB description
 *   n % 5 == 3        rename action U(n-3) to "e<n>"
 *   n % 5 == 4        delete action U(n-3)
 * where U(n) is the UUID 00000000-0000-4000-8000-<n in 12 digits>. After every tenth command the
 * driver also checkpoints the WAL into the database file (ld_db_checkpoint, as an app does after
 * deleting), so that kills land in checkpoints too, not only in commits. */
#define _POSIX_C_SOURCE 200809L

#include <leandesk/leandesk.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CRASH_EMAIL "crash@example.com"
#define CRASH_PASSWORD "crash-test-password"

static void action_id(char* out, size_t size, long n) {
    snprintf(out, size, "00000000-0000-4000-8000-%012ld", n);
}

static int run_command(ld_session* s, const char* project, long n) {
    char id[64], json[2048], desc[1537];
    char* out = NULL;
    int rc;
    memset(desc, 'x', sizeof desc - 1);
    desc[sizeof desc - 1] = '\0';
    switch (n % 5) {
        case 3:
            action_id(id, sizeof id, n - 3);
            snprintf(json, sizeof json, "{\"title\":\"e%ld\"}", n);
            rc = ld_action_update(&out, s, id, json);
            break;
        case 4:
            action_id(id, sizeof id, n - 3);
            rc = ld_action_delete(s, id);
            break;
        default:
            action_id(id, sizeof id, n);
            snprintf(
                json, sizeof json,
                "{\"id\":\"%s\",\"project_id\":\"%s\",\"title\":\"a%ld\",\"description\":\"%s\"}",
                id, project, n, desc);
            rc = ld_action_create(&out, s, json);
    }
    ld_string_free(out);
    return rc;
}

int main(int argc, char** argv) {
    ld_db* db = NULL;
    ld_session* s = NULL;
    long n;
    if (argc != 4) {
        fprintf(stderr, "usage: crash_driver <database> <project id> <first command>\n");
        return 2;
    }
    n = atol(argv[3]);
    if (ld_db_open(&db, argv[1], "{\"password_opslimit\":1,\"password_memlimit\":8192}") != LD_OK ||
        ld_session_sign_in(&s, db, CRASH_EMAIL, CRASH_PASSWORD) != LD_OK) {
        fprintf(stderr, "crash_driver: cannot start: %s\n", ld_last_error());
        return 3;
    }
    for (;; ++n) {
        char ack[32];
        int len;
        if (run_command(s, argv[2], n) != LD_OK) {
            fprintf(stderr, "crash_driver: command %ld failed: %s\n", n, ld_last_error());
            return 4;
        }
        if (n % 10 == 9 && ld_db_checkpoint(db) != LD_OK) {
            fprintf(stderr, "crash_driver: checkpoint failed: %s\n", ld_last_error());
            return 4;
        }
        len = snprintf(ack, sizeof ack, "%ld\n", n);
        if (write(STDOUT_FILENO, ack, (size_t)len) != len) return 5;
    }
}
