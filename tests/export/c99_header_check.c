/* export.h compiles as C99 on its own and after leandesk.h, and its functions link against the
   shared library with the documented signatures; NULL arguments are refused, not crashed on. */
#include "leandesk/export.h"
#include "leandesk/leandesk.h"

#include <stdio.h>

static int cancel(int64_t done, int64_t total, void* userdata) {
    (void)done;
    (void)total;
    (void)userdata;
    return 1;
}

int main(void) {
    char* out = NULL;
    char* text = NULL;
    int failures = 0;
    ld_progress_fn progress = cancel;
    if (ld_group_export_xlsx(NULL, "g", "x.xlsx", progress, NULL) != LD_EINVAL) failures++;
    if (ld_group_backup(NULL, "g", "folder", NULL, NULL) != LD_EINVAL) failures++;
    if (ld_group_restore(&out, NULL, "folder", NULL, NULL) != LD_EINVAL || out != NULL) failures++;
    if (ld_project_report(&out, &text, NULL, "p") != LD_EINVAL || out != NULL || text != NULL)
        failures++;
    if (ld_project_report_send(NULL, "p", "[]") != LD_EINVAL) failures++;
    if (failures != 0)
        fprintf(stderr, "%d unexpected results; last error: %s\n", failures, ld_last_error());
    return failures == 0 ? 0 : 1;
}
