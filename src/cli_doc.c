/*
 * cli_doc.c -- commands on report files that need no database:
 * `rectify parse`, and the hidden `rectify test-corpus` that writes the
 * benchmark corpus.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "doc.h"
#include "text.h"

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
	enum rc rc = util_read_file(path, TEXT_MAX_INPUT, &data, &len, &e);
	if (rc)
		return cli_fail(&e);
	struct doc *d;
	rc = doc_parse(data, len, path, &d, &e);
	free(data);
	if (rc) {
		fprintf(stderr, "rectify: %s: %s\n", path, e.msg);
		return rc_exit_code(rc);
	}
	struct buf out = BUF_INIT(0);
	if (json)
		doc_to_json(d, &out);
	else
		doc_to_text(d, &out);
	doc_free(d);
	rc = buf_write(&out, stdout);
	buf_release(&out);
	if (rc) {
		fprintf(stderr, "rectify: cannot write the output\n");
		return 3;
	}
	return 0;
}

int cmd_test_corpus(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	fprintf(stderr, "rectify: test-corpus: not written yet\n");
	return 2;
}
