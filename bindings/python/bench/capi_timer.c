/*
 * The C side of the Python binding's speed figures (bench/bench.py): times the two reads of
 * issue 7 straight through the C API, on a database file made by bench.py, and prints one JSON
 * object per repetition on stdout:
 *   {"get_cpu_us":..., "get_wall_us":..., "list_cpu_ms":..., "list_wall_ms":...}
 * where "get" is one ld_action_get() (the mean over `gets` calls) and "list" one
 * ld_project_actions() of the whole project. Each result is the JSON text a caller receives,
 * freed with ld_string_free(); its length is summed so no call can be optimized away.
 *
 * Usage: leandesk_capi_timer DB EMAIL PASSWORD ACTION_ID PROJECT_ID REPS GETS
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c99 */
#include <leandesk/leandesk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int fail(const char* what) {
    fprintf(stderr, "%s: %s (%s)\n", what, ld_last_error(), ld_error_name(ld_last_error_code()));
    return 1;
}

int main(int argc, char** argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: %s DB EMAIL PASSWORD ACTION_ID PROJECT_ID REPS GETS\n", argv[0]);
        return 2;
    }
    const char* action_id = argv[4];
    const char* project_id = argv[5];
    const int reps = atoi(argv[6]);
    const int gets = atoi(argv[7]);
    if (ld_check_version(LD_VERSION_NUMBER) != LD_OK) return fail("ld_check_version");

    ld_db* db = NULL;
    if (ld_db_open(&db, argv[1], NULL) != LD_OK) return fail("ld_db_open");
    ld_session* s = NULL;
    if (ld_session_sign_in(&s, db, argv[2], argv[3]) != LD_OK) {
        ld_db_close(db);
        return fail("ld_session_sign_in");
    }

    size_t sink = 0;
    int rc = 0;
    for (int rep = -1; rep < reps && rc == 0; ++rep) { /* rep -1 warms the caches */
        const double g_wall0 = now_ms(CLOCK_MONOTONIC), g_cpu0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
        for (int i = 0; i < gets; ++i) {
            char* out = NULL;
            if (ld_action_get(&out, s, action_id) != LD_OK) {
                rc = fail("ld_action_get");
                break;
            }
            sink += strlen(out);
            ld_string_free(out);
        }
        const double g_cpu = now_ms(CLOCK_THREAD_CPUTIME_ID) - g_cpu0;
        const double g_wall = now_ms(CLOCK_MONOTONIC) - g_wall0;

        const double l_wall0 = now_ms(CLOCK_MONOTONIC), l_cpu0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
        char* list = NULL;
        if (rc == 0 && ld_project_actions(&list, s, project_id) != LD_OK) rc = fail("list");
        if (list != NULL) sink += strlen(list);
        ld_string_free(list);
        const double l_cpu = now_ms(CLOCK_THREAD_CPUTIME_ID) - l_cpu0;
        const double l_wall = now_ms(CLOCK_MONOTONIC) - l_wall0;

        if (rep >= 0 && rc == 0) {
            printf(
                "{\"get_cpu_us\": %.3f, \"get_wall_us\": %.3f, \"list_cpu_ms\": %.3f, "
                "\"list_wall_ms\": %.3f}\n",
                g_cpu * 1e3 / gets, g_wall * 1e3 / gets, l_cpu, l_wall);
        }
    }
    fprintf(stderr, "checksum %zu\n", sink);
    ld_session_free(s);
    ld_db_close(db);
    return rc;
}
