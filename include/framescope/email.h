/**
 * email.h: the briefing message and the plain-text summary.
 *
 * fs_email_write builds an RFC 5322 message (headers from cfg->email, RFC 2047 encoded-words for
 * non-ASCII header text, a multipart/mixed body: text/plain UTF-8 quoted-printable with the
 * summary findings and the corpus line, then the PDF as application/pdf base64 with its file name)
 * ready for `sendmail -t`. fs_summary_write_txt writes the same summary as a .txt file.
 * Both are written atomically.
 */
#ifndef FRAMESCOPE_EMAIL_H
#define FRAMESCOPE_EMAIL_H

#include <time.h>
#include "framescope/analysis.h"
#include "framescope/config.h"
#include "framescope/error.h"

fs_status fs_email_write(const fs_config *cfg, const fs_analysis *a, const char *pdf_path,
                         const char *eml_path, time_t date, fs_error *err);
/** The summary as text (title, period, corpus line, numbered findings). Caller frees. */
char *fs_summary_text(const fs_config *cfg, const fs_analysis *a);
fs_status fs_summary_write_txt(const fs_config *cfg, const fs_analysis *a, const char *path,
                               fs_error *err);

#endif
