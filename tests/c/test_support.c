/* See test_support.h. */
#define _POSIX_C_SOURCE 200809L

#include "test_support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_passed;
static int g_failed;

static void count(int ok) {
    pthread_mutex_lock(&g_lock);
    if (ok) {
        ++g_passed;
    } else {
        ++g_failed;
    }
    pthread_mutex_unlock(&g_lock);
}

/* The calling thread's last error, printable: bytes outside ASCII as \xNN, cut at 300 bytes. */
static const char *printable_error(char *buf, size_t size) {
    const unsigned char *p = (const unsigned char *)ld_last_error();
    size_t n = 0;
    while (*p != '\0' && n + 8 < size) {
        if (*p >= 0x20 && *p < 0x7F) {
            buf[n++] = (char)*p;
        } else {
            n += (size_t)snprintf(buf + n, size - n, "\\x%02X", *p);
        }
        ++p;
        if (n > 300 && *p != '\0') {
            n += (size_t)snprintf(buf + n, size - n, "...");
            break;
        }
    }
    buf[n] = '\0';
    return buf;
}

int test_check(int ok, const char *file, int line, const char *what) {
    count(ok);
    if (!ok) {
        char buf[400];
        fprintf(stderr, "FAILED %s:%d: %s (last error %d %s: \"%s\")\n", file, line, what,
                ld_last_error_code(), ld_error_name(ld_last_error_code()), printable_error(buf, sizeof buf));
    }
    return ok;
}

int test_check_rc(int actual, int expected, const char *file, int line, const char *call) {
    const int ok = actual == expected;
    count(ok);
    if (!ok) {
        char buf[400];
        fprintf(stderr, "FAILED %s:%d: %s returned %d (%s), expected %d (%s); last error: \"%s\"\n",
                file, line, call, actual, ld_error_name(actual), expected, ld_error_name(expected),
                printable_error(buf, sizeof buf));
    }
    return ok;
}

int test_check_denied(int actual, const char *rule, const char *file, int line, const char *call) {
    const char *msg = ld_last_error();
    char buf[400];
    int ok = actual == LD_EPERM && ld_last_error_code() == LD_EPERM;
    if (ok && rule != NULL) {
        const size_t n = strlen(rule);
        ok = strncmp(msg, rule, n) == 0 && msg[n] == ':';
    } else if (ok) {
        size_t i = 1;
        ok = msg[0] == 'R';
        while (ok && msg[i] >= '0' && msg[i] <= '9') ++i;
        ok = ok && i > 1 && msg[i] == ':';
    }
    count(ok);
    if (!ok) {
        fprintf(stderr, "FAILED %s:%d: %s returned %d (%s) \"%s\", expected a refusal by %s\n", file,
                line, call, actual, ld_error_name(actual), printable_error(buf, sizeof buf),
                rule != NULL ? rule : "a rule");
    }
    return ok;
}

int test_check_fail(int actual, int expected, const char *file, int line, const char *call) {
    const char *msg = ld_last_error();
    char buf[400];
    const int ok = actual == expected && ld_last_error_code() == expected && msg[0] != '\0';
    count(ok);
    if (!ok) {
        fprintf(stderr,
                "FAILED %s:%d: %s returned %d (%s) with message \"%s\" (last code %d), expected %d "
                "(%s) with a message\n",
                file, line, call, actual, ld_error_name(actual), printable_error(buf, sizeof buf),
                ld_last_error_code(), expected,
                ld_error_name(expected));
    }
    return ok;
}

int test_check_str(const char *actual, const char *expected, const char *file, int line,
                   const char *what) {
    const int ok = (actual == NULL && expected == NULL) ||
                   (actual != NULL && expected != NULL && strcmp(actual, expected) == 0);
    count(ok);
    if (!ok) {
        fprintf(stderr, "FAILED %s:%d: %s is \"%s\", expected \"%s\"\n", file, line, what,
                actual ? actual : "(null)", expected ? expected : "(null)");
    }
    return ok;
}

int test_summary(void) {
    pthread_mutex_lock(&g_lock);
    const int passed = g_passed;
    const int failed = g_failed;
    pthread_mutex_unlock(&g_lock);
    fflush(stderr);
    printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    return failed == 0 ? 0 : 1;
}

int test_failures(void) {
    pthread_mutex_lock(&g_lock);
    const int failed = g_failed;
    pthread_mutex_unlock(&g_lock);
    return failed;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

char *test_strdup(const char *str) {
    if (str == NULL) return NULL;
    const size_t n = strlen(str);
    char *copy = malloc(n + 1);
    if (copy == NULL) abort();
    memcpy(copy, str, n + 1);
    return copy;
}

static char *dup_range(const char *begin, const char *end) {
    const size_t n = (size_t)(end - begin);
    char *copy = malloc(n + 1);
    if (copy == NULL) abort();
    memcpy(copy, begin, n);
    copy[n] = '\0';
    return copy;
}

/* Returns the end of the string that starts at the quote `p`, just past the closing quote. */
static const char *skip_string(const char *p) {
    ++p;
    while (*p != '\0' && *p != '"') {
        if (*p == '\\' && p[1] != '\0') ++p;
        ++p;
    }
    return *p == '"' ? p + 1 : p;
}

/* Returns the end of the JSON value that starts at `p`. */
static const char *skip_value(const char *p) {
    if (*p == '"') return skip_string(p);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (*p != '\0') {
            if (*p == '"') {
                p = skip_string(p);
                continue;
            }
            if (*p == '{' || *p == '[') ++depth;
            if (*p == '}' || *p == ']') {
                --depth;
                if (depth == 0) return p + 1;
            }
            ++p;
        }
        return p;
    }
    while (*p != '\0' && *p != ',' && *p != '}' && *p != ']') ++p;
    return p;
}

/* Finds the value of `key` among the top-level members of the object at `json`. */
static const char *find_member(const char *json, const char *key) {
    if (json == NULL || key == NULL) return NULL;
    const char *p = json;
    while (*p == ' ' || *p == '\n') ++p;
    if (*p != '{') return NULL;
    ++p;
    const size_t klen = strlen(key);
    while (*p == '"') {
        const char *name = p + 1;
        const char *name_end = skip_string(p);
        const char *value = name_end + 1; /* past the ':' */
        if (*name_end != ':') return NULL;
        if ((size_t)(name_end - 1 - name) == klen && strncmp(name, key, klen) == 0) return value;
        p = skip_value(value);
        if (*p == ',') ++p;
    }
    return NULL;
}

static void put_utf8(char **out, unsigned long cp) {
    char *o = *out;
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xC0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xE0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (char)(0xF0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *o++ = (char)(0x80 | (cp & 0x3F));
    }
    *out = o;
}

char *json_str(const char *json, const char *key) {
    const char *v = find_member(json, key);
    if (v == NULL || *v != '"') return NULL;
    const char *end = skip_string(v);
    char *out = malloc((size_t)(end - v) + 4);
    if (out == NULL) abort();
    char *o = out;
    for (const char *p = v + 1; p < end - 1; ++p) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        ++p;
        switch (*p) {
            case 'n': *o++ = '\n'; break;
            case 't': *o++ = '\t'; break;
            case 'r': *o++ = '\r'; break;
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'u': {
                char hex[5] = {0};
                memcpy(hex, p + 1, 4);
                put_utf8(&o, strtoul(hex, NULL, 16));
                p += 4;
                break;
            }
            default: *o++ = *p; break;
        }
    }
    *o = '\0';
    return out;
}

char *json_raw(const char *json, const char *key) {
    const char *v = find_member(json, key);
    if (v == NULL) return NULL;
    return dup_range(v, skip_value(v));
}

int64_t json_int(const char *json, const char *key, int64_t fallback) {
    const char *v = find_member(json, key);
    if (v == NULL || (*v != '-' && (*v < '0' || *v > '9'))) return fallback;
    return (int64_t)strtoll(v, NULL, 10);
}

int json_bool(const char *json, const char *key) {
    const char *v = find_member(json, key);
    if (v == NULL) return -1;
    if (strncmp(v, "true", 4) == 0) return 1;
    if (strncmp(v, "false", 5) == 0) return 0;
    return -1;
}

/* Points at element `index` of the array, or NULL; `count` receives the length when not NULL. */
static const char *array_walk(const char *json, int index, int *count) {
    if (json == NULL || *json != '[') return NULL;
    const char *p = json + 1;
    int i = 0;
    const char *found = NULL;
    while (*p != '\0' && *p != ']') {
        if (i == index) found = p;
        p = skip_value(p);
        ++i;
        if (*p == ',') ++p;
    }
    if (count != NULL) *count = i;
    return found;
}

int json_array_len(const char *json) {
    int n = -1;
    if (json == NULL || *json != '[') return -1;
    array_walk(json, -1, &n);
    return n;
}

char *json_array_at(const char *json, int index) {
    const char *p = array_walk(json, index, NULL);
    return p == NULL ? NULL : dup_range(p, skip_value(p));
}

char *json_array_find(const char *json, const char *key, const char *value) {
    const char *p;
    if (json == NULL || *json != '[') return NULL;
    p = json + 1;
    while (*p != '\0' && *p != ']') {
        const char *end = skip_value(p);
        char *item = dup_range(p, end);
        char *field = json_str(item, key);
        const int match = field != NULL && strcmp(field, value) == 0;
        free(field);
        if (match) return item;
        free(item);
        p = *end == ',' ? end + 1 : end;
    }
    return NULL;
}

/* ---- mail ---------------------------------------------------------------------------------- */

int test_mail_fn(const char *mail_json, void *userdata) {
    test_mailbox *box = userdata;
    if (box->fail_next) {
        box->fail_next = 0;
        return 1;
    }
    if (box->count >= TEST_MAIL_MAX) {
        free(box->mails[0]);
        memmove(box->mails, box->mails + 1, sizeof box->mails[0] * (TEST_MAIL_MAX - 1));
        box->mails[TEST_MAIL_MAX - 1] = test_strdup(mail_json);
    } else {
        box->mails[box->count] = test_strdup(mail_json);
    }
    ++box->count;
    return 0;
}

void test_mailbox_clear(test_mailbox *box) {
    const int kept = box->count < TEST_MAIL_MAX ? box->count : TEST_MAIL_MAX;
    for (int i = 0; i < kept; ++i) {
        free(box->mails[i]);
        box->mails[i] = NULL;
    }
}

void test_mailbox_free_fn(void *userdata) {
    test_mailbox *box = userdata;
    ++box->free_calls;
    test_mailbox_clear(box);
    box->count = 0;
}

const char *test_mailbox_last(const test_mailbox *box, const char *to) {
    const int kept = box->count < TEST_MAIL_MAX ? box->count : TEST_MAIL_MAX;
    for (int i = kept - 1; i >= 0; --i) {
        if (box->mails[i] == NULL) continue;
        if (to == NULL) return box->mails[i];
        char *addr = json_str(box->mails[i], "to");
        const int match = addr != NULL && strcmp(addr, to) == 0;
        free(addr);
        if (match) return box->mails[i];
    }
    return NULL;
}

char *test_mail_code(const char *mail_json) {
    char *text = json_str(mail_json, "text");
    if (text == NULL) return NULL;
    char *code = NULL;
    for (const char *line = text; line != NULL && *line != '\0';) {
        const char *eol = strchr(line, '\n');
        const char *end = eol != NULL ? eol : line + strlen(line);
        if (end - line > 4 && strncmp(line, "    ", 4) == 0) {
            code = dup_range(line + 4, end);
            break;
        }
        line = eol != NULL ? eol + 1 : NULL;
    }
    free(text);
    return code;
}

/* ---- odds and ends ------------------------------------------------------------------------- */

ld_session *test_new_user(ld_db *db, test_mailbox *box, const char *first, const char *last,
                          const char *email, const char *password, char **user_id) {
    char input[1024];
    char *out = NULL;
    ld_session *session = NULL;
    if (user_id != NULL) *user_id = NULL;
    snprintf(input, sizeof input,
             "{\"first_name\":\"%s\",\"last_name\":\"%s\",\"email\":\"%s\",\"password\":\"%s\"}",
             first, last, email, password);
    const int before = box->count;
    if (!CHECK_OK(ld_account_sign_up(&out, db, input))) return NULL;
    if (user_id != NULL) *user_id = json_str(out, "id");
    CHECK(json_bool(out, "activated_at") == -1); /* null: not yet activated */
    ld_string_free(out);
    out = NULL;
    CHECK(box->count == before + 1);
    char *code = test_mail_code(test_mailbox_last(box, email));
    if (!CHECK(code != NULL)) return NULL;
    CHECK_OK(ld_account_activate(&out, db, code));
    free(code);
    ld_string_free(out);
    CHECK_OK(ld_session_sign_in(&session, db, email, password));
    return session;
}

int test_change_count(ld_db *db) {
    char *out = NULL;
    if (ld_db_changes_since(&out, db, 0, 100000) != LD_OK) return -1;
    const int n = json_array_len(out);
    ld_string_free(out);
    return n;
}
