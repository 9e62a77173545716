/*
 * The genre corpus: whole documents of every genre the engine reads
 * (tests/data/genres/, described in docs/GENRES.md), each with the tree a
 * careful reader takes from it (NAME.tree).  Every document is one test: it
 * is parsed under its own file name, its tree is rendered in the compact
 * .tree form and compared line by line; a plan's NAME.tsv.txt is also
 * turned into a .docx (docx_build.h) and must give the same tree.  On a
 * difference the test names the file and the first differing line, and the
 * tree the engine gave is written to build/genres/NAME.tree.got.
 *
 * GENRES_DIR in the environment names another directory of documents in the
 * same form (tests/data/heldout); the default is tests/data/genres.
 *
 * With GENRES_SCORE set in the environment nothing fails: the program prints,
 * per genre (the file name up to its first '-' or digit), the documents, the
 * expected items, the items found (same lead, or same label under the same
 * section and area labels), item recall and lead accuracy, and totals.
 */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "docx_build.h"
#include "doc.h"

#define GENRES_DEFAULT_DIR "tests/data/genres"
#define GENRES_HELDOUT_DIR "tests/data/heldout"
#define GENRES_BLIND_DIR "tests/data/blind"
#define GOT_DIR "build/genres"

/* The corpus directory: GENRES_DIR from the environment when set and not
 * empty (a held-out set such as tests/data/heldout), else the genre corpus. */
static const char *genres_dir(void)
{
	const char *d = getenv("GENRES_DIR");
	return d && *d ? d : GENRES_DEFAULT_DIR;
}

/* One document in one form. */
struct gcase {
	char *file;             /* file name in the corpus directory: plan-01.tsv.txt */
	char *tree;             /* its tree's file name: plan-01.tree */
	char *name;             /* the name it is parsed under: plan-01.docx for the built form */
	int docx;               /* 1: the .docx built from file */
};

/* ---- rendering ---------------------------------------------------------- */

/* s on one line: a line break is written as the two characters \n. */
static void put_flat(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s != '\r')
			buf_putc(b, *s);
	}
}

static void render_item(struct buf *b, const struct doc_item *it, const char *ind)
{
	buf_printf(b, "%sI ", ind);
	put_flat(b, it->label.text);
	buf_putc(b, '|');
	put_flat(b, it->lead);
	buf_putc(b, '\n');
	/* Fields in their order, the problem itself and its place excepted. */
	for (int f = 0; f < DOC_FIELD__MAX; f++) {
		if (f == DOC_FIELD_SEQ || f == DOC_FIELD_AREA || f == DOC_FIELD_PROBLEM)
			continue;
		for (size_t k = 0; k < it->n_fields; k++) {
			const struct doc_field_value *v = &it->fields[k];
			if ((int)v->field != f || !v->text || !*v->text)
				continue;
			buf_printf(b, "%s  F %s|", ind, doc_field_name(v->field));
			put_flat(b, v->text);
			buf_putc(b, '\n');
		}
	}
}

/* The compact tree of a document, the .tree format of docs/GENRES.md. */
static char *render(const struct doc *d)
{
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "T ");
	put_flat(&b, d->title);
	buf_printf(&b, "\nK %s %d\n", doc_kind_name(d->kind), d->year);
	for (size_t i = 0; i < d->n_sections; i++) {
		const struct doc_section *s = &d->sections[i];
		buf_puts(&b, "S ");
		put_flat(&b, s->label.text);
		buf_putc(&b, '|');
		put_flat(&b, s->title);
		buf_printf(&b, "|%s\n", doc_role_name(s->role));
		/* Areas and items directly under the section in document order. */
		size_t ai = 0, ii = 0;
		while (ai < s->n_areas || ii < s->n_items) {
			int area = ii >= s->n_items ||
				   (ai < s->n_areas && s->areas[ai].span.start <= s->items[ii].span.start);
			if (area) {
				const struct doc_area *a = &s->areas[ai++];
				buf_puts(&b, "  A ");
				put_flat(&b, a->label.text);
				buf_putc(&b, '|');
				put_flat(&b, a->title);
				buf_putc(&b, '\n');
				for (size_t m = 0; m < a->n_items; m++)
					render_item(&b, &a->items[m], "    ");
			} else {
				render_item(&b, &s->items[ii++], "  ");
			}
		}
	}
	for (size_t i = 0; i < d->n_placeholders; i++) {
		buf_puts(&b, "X ");
		put_flat(&b, d->placeholders[i].text);
		buf_putc(&b, '\n');
	}
	return buf_detach(&b, NULL);
}

/* ---- the corpus ---------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The tree file of a document file, or NULL when the file is no document. */
static char *tree_of(const char *file)
{
	static const char *const exts[] = {".tsv.txt", ".txt", ".md"};
	for (size_t i = 0; i < ARRAY_LEN(exts); i++)
		if (ends_with(file, exts[i]))
			return xasprintf("%.*s.tree", (int)(strlen(file) - strlen(exts[i])), file);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every document of the corpus in every form, sorted by file name; the
 * process ends here when the corpus is missing. */
static struct gcase *corpus(size_t *n)
{
	DIR *dir = opendir(genres_dir());
	if (!dir) {
		fprintf(stderr, "test_genres: cannot open %s: %s (run from the checkout)\n", genres_dir(),
			strerror(errno));
		exit(1);
	}
	char **files = NULL;
	size_t nf = 0;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		char *t = tree_of(de->d_name);
		if (!t)
			continue;
		free(t);
		files = xrealloc(files, (nf + 1) * sizeof *files);
		files[nf++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (nf == 0) {
		fprintf(stderr, "test_genres: no documents in %s\n", genres_dir());
		exit(1);
	}
	qsort(files, nf, sizeof *files, cmp_str);
	struct gcase *c = xcalloc(2 * nf, sizeof *c);
	size_t k = 0;
	for (size_t i = 0; i < nf; i++) {
		c[k].file = files[i];
		c[k].tree = tree_of(files[i]);
		c[k].name = xstrdup(files[i]);
		k++;
		if (ends_with(files[i], ".tsv.txt")) {
			c[k].file = xstrdup(files[i]);
			c[k].tree = tree_of(files[i]);
			c[k].name = xasprintf("%.*s.docx", (int)(strlen(files[i]) - 8), files[i]);
			c[k].docx = 1;
			k++;
		}
	}
	free(files);
	*n = k;
	return c;
}

static char *read_in_dir(const char *file, size_t *len)
{
	char *path = xasprintf("%s/%s", genres_dir(), file);
	char *data = test_read(path, len);
	free(path);
	return data;
}

/* The tree the engine gives for case c, or NULL with *why set. */
static char *got_tree(const struct gcase *c, char **why)
{
	size_t len = 0;
	char *data = read_in_dir(c->file, &len);
	if (!data) {
		*why = xasprintf("cannot read %s/%s", genres_dir(), c->file);
		return NULL;
	}
	if (c->docx) {
		size_t zl = 0;
		char *z = docx_from_text(data, len, 0, &zl);
		free(data);
		if (!z) {
			*why = xasprintf("cannot build a .docx from %s", c->file);
			return NULL;
		}
		data = z;
		len = zl;
	}
	struct doc *d = NULL;
	struct err e = {0};
	enum rc rc = doc_parse(data, len, c->name, &d, &e);
	free(data);
	if (rc != RC_OK) {
		*why = xasprintf("%s: parse failed: %s", c->name, e.msg);
		return NULL;
	}
	char *t = render(d);
	doc_free(d);
	return t;
}

/* ---- comparing ------------------------------------------------------------ */

/* Line `no` (1-based) of s, into a malloc'd string; "(end of tree)" past the end. */
static char *line_at(const char *s, unsigned no)
{
	for (unsigned i = 1; i < no && s; i++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s || !*s)
		return xstrdup("(end of tree)");
	const char *nl = strchr(s, '\n');
	return xasprintf("%.*s", (int)(nl ? (size_t)(nl - s) : strlen(s)), s);
}

/* The first line at which a and b differ, 0 when they are equal. */
static unsigned first_diff(const char *a, const char *b)
{
	unsigned line = 1;
	for (; *a && *a == *b; a++, b++)
		if (*a == '\n')
			line++;
	return *a == *b ? 0 : line;
}

static void write_got(const struct gcase *c, const char *got)
{
	mkdir("build", 0777);
	mkdir(GOT_DIR, 0777);
	char *path = xasprintf(GOT_DIR "/%s.tree.got", c->name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(got, f);
		fclose(f);
	}
	free(path);
}

static void test_document(void **state)
{
	const struct gcase *c = *state;
	size_t wl = 0;
	char *want = read_in_dir(c->tree, &wl);
	if (!want)
		fail_msg("%s: no tree %s/%s", c->file, genres_dir(), c->tree);
	char *why = NULL;
	char *got = got_tree(c, &why);
	if (!got) {
		static char msg[1024];
		snprintf(msg, sizeof msg, "%s", why);
		free(why);
		free(want);
		fail_msg("%s", msg);
	}
	unsigned line = first_diff(want, got);
	if (line) {
		write_got(c, got);
		char *w = line_at(want, line), *g = line_at(got, line);
		static char msg[4096];
		snprintf(msg, sizeof msg, "%s%s: differs from %s at line %u\n  want: %s\n  got:  %s\n"
			 "  (the whole tree it gave: " GOT_DIR "/%s.tree.got)",
			 c->name, c->docx ? " (built from the .tsv.txt)" : "", c->tree, line, w, g,
			 c->name);
		free(w);
		free(g);
		free(want);
		free(got);
		fail_msg("%s", msg);
	}
	free(want);
	free(got);
}

/* ---- scoring ---------------------------------------------------------------- */

/* An item of a tree: its section/area label path, label and lead. */
struct titem {
	char *path;
	char *label;
	char *lead;
	int used;
};

/* The items of a tree in the .tree format. */
static struct titem *tree_items(const char *t, size_t *n)
{
	struct titem *v = NULL;
	size_t k = 0;
	char sec[256] = "", area[256] = "";
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t ll = nl ? (size_t)(nl - t) : strlen(t);
		char *line = xasprintf("%.*s", (int)ll, t);
		const char *p = line;
		while (*p == ' ')
			p++;
		const char *bar = strchr(p, '|');
		if (p[0] == 'S' && p[1] == ' ' && bar) {
			snprintf(sec, sizeof sec, "%.*s", (int)(bar - p - 2), p + 2);
			area[0] = '\0';
		} else if (p[0] == 'A' && p[1] == ' ' && bar) {
			snprintf(area, sizeof area, "%.*s", (int)(bar - p - 2), p + 2);
		} else if (p[0] == 'I' && p[1] == ' ' && bar) {
			v = xrealloc(v, (k + 1) * sizeof *v);
			int in_area = p - line >= 4;
			v[k].path = xasprintf("%s/%s", sec, in_area ? area : "");
			v[k].label = xasprintf("%.*s", (int)(bar - p - 2), p + 2);
			v[k].lead = xstrdup(bar + 1);
			v[k].used = 0;
			k++;
		}
		free(line);
		t += ll + (nl != NULL);
	}
	*n = k;
	return v;
}

static void free_items(struct titem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].label);
		free(v[i].lead);
	}
	free(v);
}

struct score {
	char genre[32];
	unsigned docs, exact, expected, found, leads;
};

static void genre_of(const char *file, char *out, size_t n)
{
	size_t i = 0;
	while (file[i] && file[i] != '-' && !(file[i] >= '0' && file[i] <= '9') && file[i] != '.' &&
	       i + 1 < n) {
		out[i] = file[i];
		i++;
	}
	out[i] = '\0';
}

static void score_case(const struct gcase *c, struct score *s)
{
	size_t wl = 0;
	char *want = read_in_dir(c->tree, &wl);
	char *why = NULL;
	char *got = want ? got_tree(c, &why) : NULL;
	s->docs++;
	if (!want) {
		printf("  %s: no tree %s\n", c->name, c->tree);
		return;
	}
	size_t nw = 0, ng = 0;
	struct titem *w = tree_items(want, &nw);
	s->expected += (unsigned)nw;
	if (!got) {
		printf("  %s: %s\n", c->name, why);
		free(why);
		free_items(w, nw);
		free(want);
		return;
	}
	if (strcmp(want, got) == 0)
		s->exact++;
	else
		write_got(c, got);
	struct titem *g = tree_items(got, &ng);
	for (size_t i = 0; i < nw; i++) {
		size_t j;
		for (j = 0; j < ng; j++)
			if (!g[j].used && strcmp(g[j].lead, w[i].lead) == 0)
				break;
		if (j < ng) {
			g[j].used = 1;
			s->found++;
			s->leads++;
			continue;
		}
		if (!*w[i].label)
			continue;
		for (j = 0; j < ng; j++)
			if (!g[j].used && strcmp(g[j].label, w[i].label) == 0 &&
			    strcmp(g[j].path, w[i].path) == 0)
				break;
		if (j < ng) {
			g[j].used = 1;
			s->found++;
		}
	}
	free_items(w, nw);
	free_items(g, ng);
	free(want);
	free(got);
}

static void print_score(const struct score *s)
{
	printf("%-12s %5u %6u %9u %9u %8.1f%% %8.1f%%\n", s->genre, s->docs, s->exact, s->expected,
	       s->found, s->expected ? 100.0 * s->found / s->expected : 0.0,
	       s->found ? 100.0 * s->leads / s->found : 0.0);
}

static int score(const struct gcase *c, size_t n)
{
	struct score *g = NULL, total = {.genre = "total"};
	size_t ng = 0;
	for (size_t i = 0; i < n; i++) {
		char name[32];
		genre_of(c[i].file, name, sizeof name);
		size_t k;
		for (k = 0; k < ng; k++)
			if (strcmp(g[k].genre, name) == 0)
				break;
		if (k == ng) {
			g = xrealloc(g, (ng + 1) * sizeof *g);
			memset(&g[ng], 0, sizeof g[ng]);
			snprintf(g[ng].genre, sizeof g[ng].genre, "%s", name);
			ng++;
		}
		score_case(&c[i], &g[k]);
	}
	printf("%-12s %5s %6s %9s %9s %9s %9s\n", "genre", "docs", "exact", "expected", "found",
	       "recall", "leads");
	for (size_t k = 0; k < ng; k++) {
		print_score(&g[k]);
		total.docs += g[k].docs;
		total.exact += g[k].exact;
		total.expected += g[k].expected;
		total.found += g[k].found;
		total.leads += g[k].leads;
	}
	print_score(&total);
	printf("(exact: documents whose whole tree matches; recall: expected items found; "
	       "leads: exact leads among the items found)\n");
	free(g);
	return 0;
}

/* Run the corpus of directory `dir` (the cases as cmocka tests, or the
 * score with GENRES_SCORE), under `group` as cmocka names it. */
static int run_dir(const char *dir, const char *group)
{
	setenv("GENRES_DIR", dir, 1);
	size_t n = 0;
	struct gcase *c = corpus(&n);
	int rc;
	if (getenv("GENRES_SCORE")) {
		printf("%s:\n", dir);
		rc = score(c, n);
	} else {
		struct CMUnitTest *tests = xcalloc(n, sizeof *tests);
		for (size_t i = 0; i < n; i++) {
			tests[i].name = c[i].name;
			tests[i].test_func = test_document;
			tests[i].initial_state = &c[i];
		}
		rc = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
		free(tests);
	}
	for (size_t i = 0; i < n; i++) {
		free(c[i].file);
		free(c[i].tree);
		free(c[i].name);
	}
	free(c);
	return rc;
}

/*
 * Without GENRES_DIR: the genre corpus, the held-out and the blind sets, each also with
 * every stage of the parse split over two threads (as a large report is),
 * which must give the same trees.
 */
int main(void)
{
	const char *only = getenv("GENRES_DIR");
	if (only && *only)
		return run_dir(only, "genres");
	int rc = run_dir(GENRES_DEFAULT_DIR, "genres");
	rc |= run_dir(GENRES_HELDOUT_DIR, "heldout");
	rc |= run_dir(GENRES_BLIND_DIR, "blind");
	if (!getenv("GENRES_SCORE")) {
		util_parallel_from = 0;
		rc |= run_dir(GENRES_DEFAULT_DIR, "genres on two threads");
		rc |= run_dir(GENRES_HELDOUT_DIR, "heldout on two threads");
		rc |= run_dir(GENRES_BLIND_DIR, "blind on two threads");
	}
	return rc;
}
