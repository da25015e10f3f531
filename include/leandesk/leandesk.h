/*
 * leandesk.h — the stable C API of the LeanDesk core.
 *
 * Conventions (see docs/api.md):
 *  - Every function returns an int status: LD_OK (0) or a negative LD_E* code. On failure,
 *    ld_last_error() gives the code and a message for the calling thread.
 *  - Output parameters come first and are named `out`; what a function returns through `out` is
 *    owned by the caller and freed with the matching *_free function (all NULL-safe). Strings are
 *    UTF-8, freed with ld_string_free().
 *  - Entity payloads are UTF-8 JSON text whose shapes are the JSON Schemas in docs/schema/.
 *  - No exception or C++ type crosses this boundary. The header compiles as C99 and as C++.
 */
#ifndef LEANDESK_H
#define LEANDESK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(LD_BUILDING_LIBRARY)
#define LD_API __attribute__((visibility("default")))
#else
#define LD_API
#endif

/* ---- version ------------------------------------------------------------------------------- */

#define LD_VERSION_MAJOR 0
#define LD_VERSION_MINOR 1
#define LD_VERSION_PATCH 0
#define LD_VERSION "0.1.0"
/* MAJOR * 1000000 + MINOR * 1000 + PATCH, comparable as an integer. */
#define LD_VERSION_NUMBER (LD_VERSION_MAJOR * 1000000 + LD_VERSION_MINOR * 1000 + LD_VERSION_PATCH)

/* The library's version string ("0.1.0"). Never NULL; static storage. Any thread. */
LD_API const char *ld_version(void);
/* The library's LD_VERSION_NUMBER, to compare with the header's at run time. Any thread. */
LD_API int ld_version_number(void);

/* ---- status codes -------------------------------------------------------------------------- */

#define LD_OK 0
#define LD_ERROR (-1)             /* unclassified failure */
#define LD_ENOTFOUND (-2)         /* the id names nothing the caller may see */
#define LD_EPERM (-3)             /* permission denied by a rule; the message names it ("R9: ...") */
#define LD_EINVAL (-4)            /* invalid argument: NULL, bad JSON, wrong shape, bad value */
#define LD_ECONFLICT (-5)         /* unique key taken, state changed, still in use */
#define LD_ENOTSIGNEDIN (-6)      /* no signed-in user */
#define LD_ESESSION (-7)          /* the session expired or was ended */
#define LD_ENETWORK (-8)          /* network failure (sync) */
#define LD_EIO (-9)               /* the database file or disk failed */
#define LD_EBUSY (-10)            /* the database is locked by another process */
#define LD_ENOMEM (-11)           /* out of memory */
#define LD_ERATELIMIT (-12)       /* too many attempts; try later */
#define LD_ECANCELLED (-13)       /* cancelled by the caller */
#define LD_ECORRUPT (-14)         /* damaged database or input file */
#define LD_EINTERNAL (-15)        /* a bug in LeanDesk: please report it */
#define LD_EAUTH (-16)            /* wrong e-mail or password, or an unknown or used token */

/* The code of the calling thread's last failure (LD_OK when the last call succeeded). */
LD_API int ld_last_error_code(void);
/* The message of the calling thread's last failure ("" after a success). Valid until the thread's
 * next LeanDesk call; never NULL. */
LD_API const char *ld_last_error(void);
/* A short stable name for a code ("permission denied"). Static storage; never NULL. */
LD_API const char *ld_error_name(int code);

/* Frees a string returned by LeanDesk. NULL is ignored. */
LD_API void ld_string_free(char *str);

/* ---- database ------------------------------------------------------------------------------ */

typedef struct ld_db ld_db;

/* Opens (creating and migrating if needed) the database at `path` (":memory:" for a temporary one).
 * On success *out is a handle to close with ld_db_close. A handle may be used from several threads;
 * calls on it are serialized. Errors: LD_EINVAL, LD_EIO, LD_ECORRUPT, LD_ECONFLICT (a database
 * written by a newer LeanDesk). */
LD_API int ld_db_open(ld_db **out, const char *path);

/* Closes the handle and frees it. NULL is ignored. No call on the handle may be running. */
LD_API void ld_db_close(ld_db *db);

/* Runs a command or query by name (see docs/api.md for the list and their arguments) as the user
 * `actor_user_id`, with `args_json` a JSON object (NULL means {}). On success *out is the result as
 * JSON text ("null" for commands without one), to free with ld_string_free. */
LD_API int ld_db_execute(char **out, ld_db *db, const char *actor_user_id, const char *command,
                         const char *args_json);

/* Creates a local user record from JSON {email, first_name?, last_name?, activated?}; *out is the
 * user as JSON. */
LD_API int ld_db_create_user(char **out, ld_db *db, const char *user_json);

#ifdef __cplusplus
}
#endif

#endif /* LEANDESK_H */
