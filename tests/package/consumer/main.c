/* A minimal integrator program: it sees only the installed public header and library. Built by
 * tests/package with find_package(leandesk) and with pkg-config. */
#include <leandesk/leandesk.h>

#include <stdio.h>
#include <string.h>

int main(void) {
    const char* version = ld_version();
    printf("leandesk library %s, header %s\n", version, LD_VERSION);
    if (strcmp(version, LD_VERSION) != 0 || ld_version_number() != LD_VERSION_NUMBER) {
        fprintf(stderr, "header and library versions differ\n");
        return 1;
    }

    ld_db* db = NULL;
    int rc = ld_db_open(&db, ":memory:", NULL);
    if (rc != LD_OK || db == NULL) {
        fprintf(stderr, "ld_db_open(\":memory:\") failed: %d (%s) %s\n", rc, ld_error_name(rc),
                ld_last_error());
        return 1;
    }
    ld_db_close(db);
    printf("opened and closed an in-memory database\n");
    return 0;
}
