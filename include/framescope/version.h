/** version.h: the framescope version, recorded in the PDF metadata and the exports. */
#ifndef FRAMESCOPE_VERSION_H
#define FRAMESCOPE_VERSION_H
#define FS_VERSION "0.1.0"
#endif
