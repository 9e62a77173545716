/*
 * cli_doc.c -- commands on report files that need no database:
 * `rectify parse`, and the hidden `rectify test-corpus` that writes the
 * benchmark corpus.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

#include "embed.h"

#include "cli.h"
#include "doc.h"
#include "text.h"

enum rc cli_read_report(const char *path, char **data, size_t *len, struct err *e)
{
	struct stat st;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size >= util_parallel_from && (uintmax_t)st.st_size <= TEXT_MAX_INPUT)
		util_batch_memory((size_t)st.st_size * 3);
	return util_read_file(path, TEXT_MAX_INPUT, data, len, e);
}

int cmd_parse(struct cli *c, int argc, char **argv)
{
	(void)c;
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
	int json = 0, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else
			return cli_usage("parse");
	}
	if (optind != argc - 1)
		return cli_usage("parse");
	const char *path = argv[optind];
	struct err e = {0};
	char *data;
	size_t len;
	enum rc rc = cli_read_report(path, &data, &len, &e);
	if (rc)
		return cli_fail(&e);
	if (json) {
		rc = doc_parse_json_file(data, len, path, stdout, &e);
		if (rc == RC_IO) {
			fprintf(stderr, "rectify: %s\n", e.msg);
			return 3;
		}
		if (rc) {
			fprintf(stderr, "rectify: %s: %s\n", path, e.msg);
			return rc_exit_code(rc);
		}
		return 0;
	}
	struct doc *d;
	rc = doc_parse_take(data, len, path, &d, &e);
	if (rc) {
		fprintf(stderr, "rectify: %s: %s\n", path, e.msg);
		return rc_exit_code(rc);
	}
	struct buf out = BUF_INIT(0);
	doc_to_text(d, &out);
	rc = buf_write(&out, stdout);
	buf_release(&out);
	doc_free(d);
	if (rc) {
		fprintf(stderr, "rectify: cannot write the output\n");
		return 3;
	}
	return 0;
}

/* Chinese numeral for 1..9999 (一, 十五, 二百零三). */
static void cn_num(int v, char *out, size_t cap)
{
	static const char *const d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	static const char *const u[] = {"", "十", "百", "千"};
	struct buf b = BUF_INIT(0);
	int digits[4], nd = 0, zero = 0;
	for (int x = v; x && nd < 4; x /= 10)
		digits[nd++] = x % 10;
	for (int k = nd - 1; k >= 0; k--) {
		if (digits[k] == 0) {
			zero = 1;
			continue;
		}
		if (zero)
			buf_puts(&b, d[0]);
		zero = 0;
		if (!(digits[k] == 1 && k == 1 && nd == 2))
			buf_puts(&b, d[digits[k]]);
		buf_puts(&b, u[k]);
	}
	snprintf(out, cap, "%s", b.p ? b.p : "");
	buf_release(&b);
}

/* One synthetic report of about `target` bytes built from the sample
 * report's own areas and items, numbered on and on. */
static void corpus_report(const struct doc *d, size_t target, int variant, struct buf *o)
{
	const char *nl = variant % 3 == 1 ? "\r\n" : "\n";
	const char *bold = variant % 3 == 2 ? "**" : "";
	buf_printf(o, "%s%s%s%s", variant % 3 == 2 ? "# " : "", d->title, nl, nl);
	buf_printf(o, "%s%s%s", d->preamble, nl, nl);
	const struct doc_section *prob = NULL, *cause = NULL, *meas = NULL;
	for (size_t i = 0; i < d->n_sections; i++) {
		if (d->sections[i].role == DOC_ROLE_PROBLEMS)
			prob = &d->sections[i];
		else if (d->sections[i].role == DOC_ROLE_CAUSES)
			cause = &d->sections[i];
		else if (d->sections[i].role == DOC_ROLE_MEASURES)
			meas = &d->sections[i];
	}
	if (!prob || !cause || !meas || !prob->n_areas || !meas->n_areas || !cause->n_items)
		return;
	char cn[64], cn2[64];
	/* Problems take about half of the report, causes and measures a quarter each. */
	buf_printf(o, "%s一、%s%s%s%s", bold, prob->title, bold, nl, nl);
	size_t stop = o->len + target / 2;
	for (int a = 1; o->len < stop && a < 9999; a++) {
		const struct doc_area *ar = &prob->areas[(size_t)(a - 1) % prob->n_areas];
		cn_num(a, cn, sizeof cn);
		buf_printf(o, "（%s）%s%s%s", cn, ar->title, nl, nl);
		for (size_t k = 0; k < ar->n_items; k++) {
			cn_num((int)k + 1, cn2, sizeof cn2);
			buf_printf(o, "%s是%s%s%s", cn2, ar->items[k].text, nl, nl);
		}
	}
	buf_printf(o, "%s二、%s%s%s%s", bold, cause->title, bold, nl, nl);
	stop = o->len + target / 4;
	for (int k = 1; o->len < stop && k < 9999; k++) {
		cn_num(k, cn, sizeof cn);
		buf_printf(o, "%s是%s%s%s", cn, cause->items[(size_t)(k - 1) % cause->n_items].text, nl, nl);
	}
	buf_printf(o, "%s三、%s%s%s%s", bold, meas->title, bold, nl, nl);
	stop = o->len + target / 4;
	for (int a = 1; o->len < stop && a < 9999; a++) {
		const struct doc_area *ar = &meas->areas[(size_t)(a - 1) % meas->n_areas];
		cn_num(a, cn, sizeof cn);
		buf_printf(o, "（%s）%s。%s%s%s", cn, ar->title, ar->text, nl, nl);
	}
}

/* One synthetic 整改方案 of about `target` bytes whose problems are a task
 * table (tab-separated, as copied from Word): the sample's problem items,
 * the area written once over its rows, each row with the measures of the
 * area of the same rank, a leader, a unit and a deadline. */
static void corpus_plan(const struct doc *d, size_t target, struct buf *o)
{
	const struct doc_section *prob = NULL, *meas = NULL;
	for (size_t i = 0; i < d->n_sections; i++) {
		if (d->sections[i].role == DOC_ROLE_PROBLEMS)
			prob = &d->sections[i];
		else if (d->sections[i].role == DOC_ROLE_MEASURES)
			meas = &d->sections[i];
	}
	if (!prob || !meas || !prob->n_areas || !meas->n_areas)
		return;
	static const char *const leaders[] = {"张建国", "李红梅", "王志强", "赵敏"};
	static const char *const units[] = {"办公室", "组织人事科", "计划财务科", "法规科"};
	static const char *const when[] = {"2024年6月底前", "长期坚持", "立行立改", "2024年12月底前"};
	buf_printf(o, "%s整改方案\n\n%s\n\n一、整改任务\n\n", d->title, d->preamble);
	buf_puts(o, "序号\t方面\t存在问题\t整改措施\t责任领导\t责任单位\t完成时限\n");
	size_t stop = o->len + target;
	int row = 0;
	for (int a = 1; o->len < stop && a < 9999; a++) {
		const struct doc_area *ar = &prob->areas[(size_t)(a - 1) % prob->n_areas];
		const struct doc_area *ma = &meas->areas[(size_t)(a - 1) % meas->n_areas];
		for (size_t k = 0; k < ar->n_items; k++) {
			row++;
			buf_printf(o, "%d\t%s\t%s\t%s%s\t%s\t%s\t%s\n", row, k ? "" : ar->title,
				   ar->items[k].text, ma->title, ma->text[0] ? "。" : "",
				   leaders[row % 4], units[row % 4], when[row % 4]);
		}
	}
	buf_puts(o, "\n二、工作要求\n\n各责任单位要按时限完成整改任务。\n");
}

int cmd_test_corpus(struct cli *c, int argc, char **argv)
{
	(void)c;
	if (argc != 3)
		return cli_usage("test-corpus");
	const char *dir = argv[1];
	long mb = atol(argv[2]);
	if (mb <= 0 || mb > 4096)
		return cli_usage("test-corpus");
	size_t len;
	const char *sample = embed_get("data/sample-team.md", &len);
	struct err e = {0};
	struct doc *d;
	if (!sample || doc_parse_text(sample, len, &d, &e) != RC_OK) {
		fprintf(stderr, "rectify: the embedded sample report does not parse\n");
		return 4;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "rectify: cannot create %s: %s\n", dir, strerror(errno));
		doc_free(d);
		return 3;
	}
	size_t total = 0, want = (size_t)mb << 20;
	/* Each report stays well under the 16 MiB input bound. */
	size_t per = want < (12u << 20) ? want : (12u << 20);
	for (int n = 0; total < want; n++) {
		struct buf o = BUF_INIT(0);
		if (n % 5 == 4)
			corpus_plan(d, per, &o);
		else
			corpus_report(d, per, n, &o);
		char *path = xasprintf("%s/report-%03d.%s", dir, n, n % 3 == 2 ? "md" : "txt");
		enum rc rc = o.len ? util_write_file(path, o.p, o.len, &e) : RC_INTERNAL;
		if (rc == RC_OK)
			printf("%s %zu\n", path, o.len);
		free(path);
		total += o.len;
		buf_release(&o);
		if (rc) {
			doc_free(d);
			return cli_fail(&e);
		}
	}
	doc_free(d);
	return 0;
}
