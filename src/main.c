/* main.c: the `analyze` command line. Parses options, sets up logging and signals, runs the
 * pipeline, and maps the result to a documented exit code. Only this file prints or exits. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "framescope/ctx.h"
#include "framescope/error.h"
#include "framescope/pipeline.h"
#include "framescope/version.h"

/* The one piece of process state: async-signal-safe flag the stages poll via fs_ctx. */
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

static const char usage_text[] =
    "Usage: analyze --config FILE [options]\n"
    "       analyze count --config FILE --shard K/N --out COUNTS\n"
    "       analyze merge --config FILE --out COUNTS SHARD...\n"
    "\n"
    "Compares how news sources frame a story and writes a typeset PDF report.\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE       configuration (JSON; keys in config/schema.json)\n"
    "  -o, --output PDF        write the PDF here instead of report.output\n"
    "  -e, --export-dir DIR    also write CSV and JSON exports into DIR\n"
    "      --period P          only documents of P: YYYY-MM, YYYY, last-month, this-month\n"
    "      --from DATE         only documents dated on or after DATE (YYYY-MM-DD)\n"
    "      --to DATE           only documents dated on or before DATE\n"
    "      --from-counts FILE  build the report from a counts file (count/merge) instead\n"
    "      --threads N         worker threads for counting (default: config, else all CPUs)\n"
    "      --no-pdf            stop after the exports\n"
    "      --check-config      validate the configuration and exit\n"
    "  -q, --quiet             print errors only\n"
    "  -v, --verbose           print debug detail\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "  (count) --shard K/N     count the K-th of N slices of the documents\n"
    "  (count, merge) --out F  the counts file to write\n"
    "\n"
    "Exit codes:\n"
    "  0    success\n"
    "  1    any other failure (out of memory, PDF library error, internal error)\n"
    "  2    usage or configuration error (including invalid patterns)\n"
    "  3    input error (no documents, unreadable input, period selects nothing)\n"
    "  4    output error (cannot write the PDF, exports or history)\n"
    "  5    another run holds the output lock\n"
    "  130  interrupted (SIGINT), 143 terminated (SIGTERM); nothing partial is left behind\n";

typedef struct cli {
    fs_run_opts run;
    const char *out;
    const char *shard;
    int threads;
    int quiet, verbose, help, version;
    enum { CMD_RUN, CMD_COUNT, CMD_MERGE } cmd;
    char **rest;
    int n_rest;
} cli;

enum {
    OPT_PERIOD = 256, OPT_FROM, OPT_TO, OPT_FROM_COUNTS, OPT_THREADS, OPT_NO_PDF, OPT_CHECK,
    OPT_SHARD, OPT_OUT
};

/* A one-line bar on a terminal, redrawn only when the percentage changes; log lines clear it
 * first. Cron and systemd see no bar because stderr is not a terminal there. */
typedef struct progress_state {
    int shown;          /* a bar is on the line */
    int last_pct;
    char stage[48];
} progress_state;

static void show_progress(void *user, const char *stage, unsigned long long done,
                          unsigned long long total)
{
    progress_state *p = user;
    int pct = total ? (int)(100.0 * (double)done / (double)total) : 0;
    if (p->shown && pct == p->last_pct && strncmp(p->stage, stage, sizeof p->stage - 1) == 0)
        return;
    p->last_pct = pct;
    snprintf(p->stage, sizeof p->stage, "%s", stage);
    char bar[31];
    int fill = pct * 30 / 100;
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r\033[K%-20.20s [%s] %3d%% (%llu/%llu)", stage, bar, pct, done, total);
    p->shown = 1;
}

static void log_line(void *user, fs_log_level level, const char *msg)
{
    progress_state *p = user;
    if (p && p->shown) {
        fputs("\r\033[K", stderr);
        p->shown = 0;
    }
    const char *tag = level == FS_LOG_ERROR ? "error: " : level == FS_LOG_WARN ? "warning: " : "";
    fprintf(stderr, "analyze: %s%s\n", tag, msg);
}

static void report_error(const fs_error *err)
{
    if (err->where[0])
        fprintf(stderr, "analyze: %s: %s\n", err->where, err->msg);
    else
        fprintf(stderr, "analyze: %s\n", err->msg[0] ? err->msg : fs_status_str(err->status));
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "analyze: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see analyze --help)\n");
    return FS_EXIT_USAGE;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return 0;
    *out = (int)v;
    return 1;
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, cli *c)
{
    static const struct option opts[] = {
        {"check-config", no_argument, NULL, OPT_CHECK},
        {"config", required_argument, NULL, 'c'},
        {"export-dir", required_argument, NULL, 'e'},
        {"from", required_argument, NULL, OPT_FROM},
        {"from-counts", required_argument, NULL, OPT_FROM_COUNTS},
        {"help", no_argument, NULL, 'h'},
        {"no-pdf", no_argument, NULL, OPT_NO_PDF},
        {"out", required_argument, NULL, OPT_OUT},
        {"output", required_argument, NULL, 'o'},
        {"period", required_argument, NULL, OPT_PERIOD},
        {"quiet", no_argument, NULL, 'q'},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"to", required_argument, NULL, OPT_TO},
        {"verbose", no_argument, NULL, 'v'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "count") == 0) {
        c->cmd = CMD_COUNT;
        first = 2;
    } else if (argc > 1 && strcmp(argv[1], "merge") == 0) {
        c->cmd = CMD_MERGE;
        first = 2;
    }
    optind = first;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":c:o:e:qvhV", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': c->run.config_path = optarg; break;
        case 'o': c->run.output = optarg; break;
        case 'e': c->run.export_dir = optarg; break;
        case 'q': c->quiet = 1; break;
        case 'v': c->verbose = 1; break;
        case 'h': c->help = 1; break;
        case 'V': c->version = 1; break;
        case OPT_PERIOD: c->run.period = optarg; break;
        case OPT_FROM: c->run.from = optarg; break;
        case OPT_TO: c->run.to = optarg; break;
        case OPT_FROM_COUNTS: c->run.from_counts = optarg; break;
        case OPT_NO_PDF: c->run.no_pdf = true; break;
        case OPT_CHECK: c->run.check_only = true; break;
        case OPT_SHARD: c->shard = optarg; break;
        case OPT_OUT: c->out = optarg; break;
        case OPT_THREADS:
            if (!parse_int(optarg, 1, 256, &c->threads))
                return usage_error("--threads expects a number from 1 to 256, got '%s'", optarg);
            break;
        case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    c->rest = argv + optind;
    c->n_rest = argc - optind;
    if (c->help) {
        fputs(usage_text, stdout);
        return FS_EXIT_OK;
    }
    if (c->version) {
        printf("analyze (framescope) %s\n", FS_VERSION);
        return FS_EXIT_OK;
    }
    if (c->cmd != CMD_MERGE && c->n_rest > 0)
        return usage_error("unexpected argument '%s'", c->rest[0]);
    if (!c->run.config_path)
        return usage_error("%s", "missing --config FILE");
    if (c->cmd != CMD_RUN && !c->out)
        return usage_error("%s", "missing --out FILE");
    if (c->cmd == CMD_COUNT && !c->shard)
        c->shard = "1/1";
    return -1;
}

/* SOURCE_DATE_EPOCH makes reruns reproducible (PDF dates, "last-month"); else the clock. */
static int run_date(time_t *now)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde) {
        *now = time(NULL);
        return 1;
    }
    char *end;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL)
        return 0;
    *now = (time_t)v;
    return 1;
}

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

int main(int argc, char **argv)
{
    cli c;
    memset(&c, 0, sizeof c);
    int code = parse_args(argc, argv, &c);
    if (code >= 0)
        return code;
    if (!run_date(&c.run.now))
        return usage_error("SOURCE_DATE_EPOCH='%s' is not a Unix time", getenv("SOURCE_DATE_EPOCH"));

    /* GSL's default handler aborts; every GSL status is checked where it is returned. */
    gsl_set_error_handler_off();

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    progress_state progress = {0, -1, ""};
    fs_ctx ctx = {
        .log = log_line,
        .log_user = &progress,
        .progress = !c.quiet && isatty(STDERR_FILENO) ? show_progress : NULL,
        .progress_user = &progress,
        .verbosity = c.quiet ? FS_LOG_ERROR : c.verbose ? FS_LOG_DEBUG : FS_LOG_INFO,
        .threads = c.threads ? c.threads : online_cpus(),
        .interrupted = &got_signal,
    };
    fs_error err;
    fs_error_clear(&err);
    fs_status st;
    fs_run_result res;
    memset(&res, 0, sizeof res);

    if (c.cmd == CMD_COUNT) {
        unsigned k = 0, n = 0;
        char tail;
        if (sscanf(c.shard, "%u/%u%c", &k, &n, &tail) != 2 || n == 0 || k == 0 || k > n)
            return usage_error("--shard expects K/N with 1 <= K <= N, got '%s'", c.shard);
        st = fs_pipeline_count(&c.run, &ctx, k, n, c.out, &err);
    } else if (c.cmd == CMD_MERGE) {
        st = fs_pipeline_merge(&c.run, &ctx, (const char *const *)c.rest, (size_t)c.n_rest, c.out,
                               &err);
    } else {
        st = fs_pipeline_run(&c.run, &ctx, &res, &err);
    }

    if (progress.shown)
        fputs("\r\033[K", stderr);
    if (got_signal) {
        /* Whatever stage was running has removed its temporary files on the way out. */
        fprintf(stderr, "analyze: stopped by %s; no output was replaced\n",
                got_signal == SIGTERM ? "SIGTERM" : "SIGINT");
        fs_run_result_free(&res);
        return got_signal == SIGTERM ? FS_EXIT_SIGTERM : FS_EXIT_SIGINT;
    }
    if (st != FS_OK) {
        report_error(&err);
        fs_run_result_free(&res);
        return fs_status_exit_code(st);
    }
    if (c.run.check_only) {
        if (!c.quiet)
            fprintf(stderr, "analyze: %s: configuration is valid\n", c.run.config_path);
    } else if (c.cmd == CMD_RUN) {
        if (!c.quiet && res.pdf_path)
            fprintf(stderr,
                    "analyze: done: %zu documents, %zu sources, %llu tokens, %d pages, %.1f KB, "
                    "%.2f s -> %s\n",
                    res.documents, res.sources, (unsigned long long)res.tokens, res.pages,
                    (double)res.pdf_bytes / 1024.0, res.seconds, res.pdf_path);
        else if (!c.quiet)
            fprintf(stderr, "analyze: done: %zu documents, %zu sources, %llu tokens, %.2f s -> %s\n",
                    res.documents, res.sources, (unsigned long long)res.tokens, res.seconds,
                    c.run.export_dir ? c.run.export_dir : "no output (--no-pdf)");
        if (res.pdf_path)
            printf("%s\n", res.pdf_path);
    }
    fs_run_result_free(&res);
    return FS_EXIT_OK;
}
