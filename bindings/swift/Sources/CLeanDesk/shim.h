/* The one header of the CLeanDesk module: the stable C API of the LeanDesk core, found on the
 * include path (LEANDESK_INCLUDE_DIR or -Xcc -I<dir>; see Package.swift). */
#ifndef CLEANDESK_SHIM_H
#define CLEANDESK_SHIM_H
#include <leandesk/leandesk.h>
#endif
