/* chart_stub.c: temporary stubs while the chart kinds are written. */
#include "chart/chart_internal.h"

double fs_chart_preferred_height(fs_chart_kind kind, size_t rows, size_t series, double w,
                                 const fs_chart_style *st)
{
    (void)kind; (void)series; (void)w;
    return (double)rows * st->row_height;
}
fs_status fs_chart_hbar(const fs_canvas *cv, double x, double y, double w, double h,
                        const fs_chart_bars *d, const fs_chart_style *st)
{ (void)cv; (void)x; (void)y; (void)w; (void)h; (void)d; (void)st; return FS_OK; }
fs_status fs_chart_diverging(const fs_canvas *cv, double x, double y, double w, double h,
                             const fs_chart_divbars *d, const fs_chart_style *st)
{ (void)cv; (void)x; (void)y; (void)w; (void)h; (void)d; (void)st; return FS_OK; }
fs_status fs_chart_grouped(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_bars *d, const fs_chart_style *st)
{ (void)cv; (void)x; (void)y; (void)w; (void)h; (void)d; (void)st; return FS_OK; }
fs_status fs_chart_heatmap(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_matrix *d, const fs_chart_style *st)
{ (void)cv; (void)x; (void)y; (void)w; (void)h; (void)d; (void)st; return FS_OK; }
fs_status fs_chart_scatter(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_xy *d, const fs_chart_style *st,
                           fs_chart_info *info)
{ (void)cv; (void)x; (void)y; (void)w; (void)h; (void)d; (void)st; (void)info; return FS_OK; }
fs_status fs_chart_network(const fs_canvas *cv, double x, double y, double w, double h,
                           const fs_chart_graph *d, const fs_chart_style *st,
                           fs_chart_info *info)
{ (void)cv; (void)x; (void)y; (void)w; (void)h; (void)d; (void)st; (void)info; return FS_OK; }
