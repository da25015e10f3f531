/* One database handle hammered from 8 threads.
 *
 * Eight people share one group and one project. Threads 0-5 each sign in as their own user; threads
 * 6 and 7 share a single session of a seventh user. For a bounded number of rounds every thread
 * writes (creates, updates, moves and deletes actions), reads (the project's actions, its own
 * dashboard) and provokes a failure of its own. At the end:
 *   - every action a thread kept is there, exactly once, in the state that thread last wrote;
 *   - the change log grew by exactly one record per write, and the observer heard every write;
 *   - no call failed except the deliberate ones;
 *   - ld_last_error() is per thread: after a success it is empty in that thread whatever the
 *     others do, and a thread's failure message is still its own after the others have failed
 *     differently in the meantime. */
#define _POSIX_C_SOURCE 200809L

#include <leandesk/leandesk.h>

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

#define THREADS 8
#define OWN_SESSIONS 6 /* threads 0-5; threads 6 and 7 share one session */
#ifndef ROUNDS
#define ROUNDS 40
#endif
#define MAX_ACTIONS (ROUNDS + 1)

typedef struct action_state {
    char id[40];
    char title[64];
    int progress;
    char step[40];
    int live;
} action_state;

typedef struct worker {
    int index;
    ld_db *db;
    ld_session *session;
    const char *user_id;
    const char *email;
    const char *password;
    action_state actions[MAX_ACTIONS];
    int created, updated, moved, deleted;
    int unexpected;     /* calls that failed when they should not have */
    int error_leaks;    /* a success that left a non-empty last error, or a foreign message seen */
    int deliberate;     /* failures provoked on purpose, each checked */
} worker;

static const char *g_project_id;
static char *g_steps[4];
static pthread_barrier_t g_start;

typedef struct observed {
    pthread_mutex_t lock;
    int notifications;
    int records;
} observed;

static void on_change(const char *changes_json, void *userdata) {
    observed *o = userdata;
    const int n = json_array_len(changes_json);
    pthread_mutex_lock(&o->lock);
    ++o->notifications;
    o->records += n;
    pthread_mutex_unlock(&o->lock);
}

/* A success must leave this thread's last error empty. */
static void after_success(worker *w) {
    if (ld_last_error_code() != LD_OK || ld_last_error()[0] != '\0') ++w->error_leaks;
}

static int ok(worker *w, int rc, const char *what) {
    if (rc != LD_OK) {
        ++w->unexpected;
        fprintf(stderr, "thread %d: %s failed: %d (%s) %s\n", w->index, what, rc, ld_error_name(rc),
                ld_last_error());
        return 0;
    }
    after_success(w);
    return 1;
}

static int live_count(const worker *w) {
    int i, n = 0;
    for (i = 0; i < w->created; ++i) n += w->actions[i].live;
    return n;
}

/* A live action of this worker other than `not`, or -1. */
static int pick_live(const worker *w, int seed, int not) {
    int i;
    for (i = 0; i < w->created; ++i) {
        const int k = (seed + i) % w->created;
        if (w->actions[k].live && k != not) return k;
    }
    return -1;
}

/* A failure of this thread's own making: an action id only this thread uses. Its message must
 * still be there after the other threads did their own things. */
static void deliberate_failure(worker *w, int round) {
    char bad_id[40];
    char *out = (char *)w; /* not NULL: the call must clear it */
    int rc, i;
    snprintf(bad_id, sizeof bad_id, "00000000-0000-4000-8000-%012d", w->index * 1000 + round);
    rc = ld_action_get(&out, w->session, bad_id);
    ++w->deliberate;
    if (rc != LD_ENOTFOUND || out != NULL) {
        ++w->unexpected;
        fprintf(stderr, "thread %d: deliberate failure gave %d\n", w->index, rc);
        return;
    }
    for (i = 0; i < 3; ++i) sched_yield(); /* let the others run (and fail or succeed) */
    if (ld_last_error_code() != LD_ENOTFOUND || strstr(ld_last_error(), bad_id) == NULL) {
        ++w->error_leaks;
        fprintf(stderr, "thread %d: its last error changed under it: %d \"%s\"\n", w->index,
                ld_last_error_code(), ld_last_error());
    }
}

static void *work(void *arg) {
    worker *w = arg;
    char input[512];
    int round;
    pthread_barrier_wait(&g_start);
    for (round = 0; round < ROUNDS; ++round) {
        char *out = NULL;
        action_state *a;
        int k;

        /* Create one of this thread's actions. */
        a = &w->actions[w->created];
        snprintf(a->title, sizeof a->title, "t%d-r%d", w->index, round);
        snprintf(input, sizeof input,
                 "{\"project_id\":\"%s\",\"title\":\"%s\",\"owner_id\":\"%s\",\"context\":\"thread %d\"}",
                 g_project_id, a->title, w->user_id, w->index);
        if (ok(w, ld_action_create(&out, w->session, input), "create")) {
            char *id = json_str(out, "id");
            char *step = json_str(out, "step_id");
            snprintf(a->id, sizeof a->id, "%s", id != NULL ? id : "");
            snprintf(a->step, sizeof a->step, "%s", step != NULL ? step : "");
            a->progress = 0;
            a->live = 1;
            ++w->created;
            free(id), free(step);
        }
        ld_string_free(out);
        out = NULL;

        /* Update one. */
        k = pick_live(w, round * 7, -1);
        if (k >= 0) {
            a = &w->actions[k];
            a->progress = (round * 13 + w->index) % 101;
            snprintf(a->title, sizeof a->title, "t%d-r%d-u%d", w->index, k, round);
            snprintf(input, sizeof input, "{\"title\":\"%s\",\"progress\":%d}", a->title, a->progress);
            if (ok(w, ld_action_update(&out, w->session, a->id, input), "update")) ++w->updated;
            ld_string_free(out);
            out = NULL;
        }

        /* Move one to another step, sometimes before another of its own actions there. */
        k = pick_live(w, round * 3 + 1, -1);
        if (k >= 0) {
            const char *step = g_steps[(round + w->index) % 4];
            const int before = pick_live(w, round, k);
            const char *before_id = NULL;
            if (before >= 0 && strcmp(w->actions[before].step, step) == 0 && round % 2 == 0) {
                before_id = w->actions[before].id;
            }
            if (ok(w, ld_action_move(&out, w->session, w->actions[k].id, step, before_id), "move")) {
                snprintf(w->actions[k].step, sizeof w->actions[k].step, "%s", step);
                ++w->moved;
            }
            ld_string_free(out);
            out = NULL;
        }

        /* Delete one every fourth round. */
        if (round % 4 == 3) {
            k = pick_live(w, round * 5, -1);
            if (k >= 0 && ok(w, ld_action_delete(w->session, w->actions[k].id), "delete")) {
                w->actions[k].live = 0;
                ++w->deleted;
            }
        }

        /* Reads. */
        if (ok(w, ld_project_actions(&out, w->session, g_project_id), "project actions")) {
            if (json_array_len(out) < live_count(w)) ++w->unexpected;
        }
        ld_string_free(out);
        out = NULL;
        if (ok(w, ld_dashboard_get(&out, w->session), "dashboard")) {
            /* Only this thread touches its own user's actions (threads 6 and 7 share one user). */
            if (w->index < OWN_SESSIONS && json_array_len(out) != live_count(w)) {
                ++w->unexpected;
                fprintf(stderr, "thread %d: dashboard shows %d actions, expected %d\n", w->index,
                        json_array_len(out), live_count(w));
            }
        }
        ld_string_free(out);
        out = NULL;

        /* A failure of its own every third round. */
        if (round % 3 == w->index % 3) deliberate_failure(w, round);

        /* Thread 5 also signs in and out again now and then (Argon2 runs outside the lock). */
        if (w->index == 5 && round % 10 == 0) {
            ld_session *fresh = NULL;
            if (ok(w, ld_session_sign_in(&fresh, w->db, w->email, w->password), "sign in")) {
                if (ok(w, ld_me_get(&out, fresh), "me")) ld_string_free(out);
                out = NULL;
                ok(w, ld_session_sign_out(fresh), "sign out");
                if (ld_me_get(&out, fresh) != LD_ESESSION) ++w->unexpected;
                ++w->deliberate;
            }
            ld_session_free(fresh);
        }
    }
    return NULL;
}

typedef struct fresh_thread {
    ld_db *db;
    int initial_code;
    int initial_empty;
    int own_failure;
} fresh_thread;

static void *fresh_thread_main(void *arg) {
    fresh_thread *r = arg;
    char *out = NULL;
    r->initial_code = ld_last_error_code();
    r->initial_empty = ld_last_error()[0] == '\0';
    r->own_failure = ld_db_changes_since(&out, r->db, 0, -1);
    return NULL;
}

int main(void) {
    ld_db *db = NULL;
    test_mailbox mail;
    observed obs;
    uint64_t observer_id = 0;
    worker workers[THREADS];
    pthread_t threads[THREADS];
    ld_session *sessions[THREADS - 1];
    char *user_ids[THREADS - 1];
    char emails[THREADS - 1][64];
    char passwords[THREADS - 1][64];
    char *out = NULL;
    char *group_id = NULL, *project_id = NULL;
    char dir_template[] = "/tmp/leandesk-threads-XXXXXX";
    char path[256];
    const char *dir = mkdtemp(dir_template);
    int i, baseline, writes = 0, live = 0;

    memset(&mail, 0, sizeof mail);
    memset(workers, 0, sizeof workers);
    memset(&obs, 0, sizeof obs);
    pthread_mutex_init(&obs.lock, NULL);
    if (!CHECK(dir != NULL)) return test_summary();
    snprintf(path, sizeof path, "%s/threads.db", dir);

    if (!CHECK_OK(ld_db_open(&db, path, TEST_DB_OPTIONS))) return test_summary();
    CHECK_OK(ld_db_set_mail_sender(db, test_mail_fn, &mail, NULL));

    /* Seven people: six with their own threads, one shared by threads 6 and 7. */
    for (i = 0; i < THREADS - 1; ++i) {
        char first[16];
        snprintf(first, sizeof first, "User%d", i);
        snprintf(emails[i], sizeof emails[i], "user%d@example.com", i);
        snprintf(passwords[i], sizeof passwords[i], "password-of-user-%d", i);
        sessions[i] = test_new_user(db, &mail, first, "Tester", emails[i], passwords[i], &user_ids[i]);
        if (sessions[i] == NULL) return test_summary();
    }
    CHECK_OK(ld_group_create(&out, sessions[0], "{\"name\":\"Shared\"}"));
    group_id = json_str(out, "id");
    ld_string_free(out);
    out = NULL;
    for (i = 1; i < THREADS - 1; ++i) {
        CHECK_OK(ld_group_add_member(&out, sessions[0], group_id, emails[i]));
        ld_string_free(out);
        out = NULL;
    }
    {
        char input[256];
        snprintf(input, sizeof input, "{\"group_id\":\"%s\",\"name\":\"Hammered\"}", group_id);
        CHECK_OK(ld_project_create(&out, sessions[0], input));
        project_id = json_str(out, "id");
        ld_string_free(out);
        out = NULL;
    }
    for (i = 1; i < THREADS - 1; ++i) {
        CHECK_OK(ld_project_add_participant(&out, sessions[0], project_id, user_ids[i]));
        ld_string_free(out);
        out = NULL;
    }
    CHECK_OK(ld_step_list(&out, sessions[0], group_id));
    for (i = 0; i < 4; ++i) {
        char *step = json_array_at(out, i);
        g_steps[i] = json_str(step, "id");
        free(step);
        CHECK(g_steps[i] != NULL);
    }
    ld_string_free(out);
    out = NULL;
    g_project_id = project_id;

    CHECK_OK(ld_db_add_observer(&observer_id, db, on_change, &obs, NULL));
    baseline = test_change_count(db);

    /* Go. */
    pthread_barrier_init(&g_start, NULL, THREADS);
    for (i = 0; i < THREADS; ++i) {
        const int who = i < OWN_SESSIONS ? i : OWN_SESSIONS;
        workers[i].index = i;
        workers[i].db = db;
        workers[i].session = sessions[who];
        workers[i].user_id = user_ids[who];
        workers[i].email = emails[who];
        workers[i].password = passwords[who];
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (i = 0; i < THREADS; ++i) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&g_start);

    /* Each thread: no unexpected failure, its last error its own. */
    for (i = 0; i < THREADS; ++i) {
        const worker *w = &workers[i];
        CHECK(w->unexpected == 0);
        CHECK(w->error_leaks == 0);
        CHECK(w->created == ROUNDS);
        CHECK(w->deleted == ROUNDS / 4);
        CHECK(w->deliberate > 0);
        writes += w->created + w->updated + w->moved + w->deleted;
        live += live_count(w);
    }

    /* The project holds exactly what was kept, each action as its thread last left it. */
    CHECK_OK(ld_project_actions(&out, sessions[0], project_id));
    CHECK(json_array_len(out) == live);
    for (i = 0; i < THREADS; ++i) {
        const worker *w = &workers[i];
        int k;
        for (k = 0; k < w->created; ++k) {
            const action_state *a = &w->actions[k];
            char *found = json_array_find(out, "id", a->id);
            if (!a->live) {
                CHECK(found == NULL);
            } else if (CHECK(found != NULL)) {
                char *title = json_str(found, "title");
                char *step = json_str(found, "step_id");
                char *owner = json_str(found, "owner_id");
                CHECK_STR(title, a->title);
                CHECK_STR(step, a->step);
                CHECK_STR(owner, w->user_id);
                CHECK(json_int(found, "progress", -1) == a->progress);
                free(title), free(step), free(owner);
            }
            free(found);
        }
    }
    ld_string_free(out);
    out = NULL;

    /* One change record per write; the observer heard each (one unit of work per write). */
    CHECK(test_change_count(db) == baseline + writes);
    pthread_mutex_lock(&obs.lock);
    CHECK(obs.notifications == writes);
    CHECK(obs.records == writes);
    pthread_mutex_unlock(&obs.lock);
    CHECK_OK(ld_db_remove_observer(db, observer_id));

    /* Per-thread last error, plainly: a failure here does not show in a new thread. */
    CHECK_FAIL(ld_group_get(&out, sessions[0], "00000000-0000-4000-8000-000000000000"), LD_ENOTFOUND);
    {
        /* A fresh thread starts with no error, and its own failure does not show here. */
        fresh_thread r = {db, -999, 0, 0};
        pthread_t t;
        CHECK(pthread_create(&t, NULL, fresh_thread_main, &r) == 0);
        pthread_join(t, NULL);
        CHECK(r.initial_code == LD_OK && r.initial_empty);
        CHECK(r.own_failure == LD_EINVAL);
    }
    CHECK(strstr(ld_last_error(), "00000000-0000-4000-8000-000000000000") != NULL);
    CHECK(ld_last_error_code() == LD_ENOTFOUND);

    for (i = 0; i < THREADS - 1; ++i) {
        ld_session_free(sessions[i]);
        free(user_ids[i]);
    }
    for (i = 0; i < 4; ++i) free(g_steps[i]);
    free(group_id);
    free(project_id);
    ld_db_close(db);
    test_mailbox_clear(&mail);
    pthread_mutex_destroy(&obs.lock);
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
