/*
 * pdf_build.h -- small PDF files written by hand, for the tests of
 * doc_pdf.c and the fuzz target fuzz_pdf.
 *
 * pdf_build() writes a PDF 1.4 file with a correct cross-reference table:
 * a catalog, one page tree, the standard font Helvetica as /F1, the given
 * content streams, and n_pages A4 pages, page i drawn by content stream
 * i % n_content.  A content stream is PDF page operators, for instance
 *
 *     BT /F1 12 Tf 72 760 Td (Page one) Tj ET
 *
 * (text in parentheses, with ( ) and \ escaped by a backslash).  The result
 * is malloc'd; *len is its length.
 */
#ifndef RECTIFY_PDF_BUILD_H
#define RECTIFY_PDF_BUILD_H

#include <stdlib.h>
#include <string.h>

#include "buf.h"

static inline char *pdf_build(const char *const *content, const size_t *content_len,
			      size_t n_content, size_t n_pages, size_t *len)
{
	size_t n_obj = 3 + n_content + n_pages;
	size_t *off = calloc(n_obj + 1, sizeof *off);
	struct buf b = BUF_INIT(0);
	if (!off)
		abort();
	buf_puts(&b, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
	off[1] = b.len;
	buf_puts(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = b.len;
	buf_puts(&b, "2 0 obj\n<< /Type /Pages /Kids [");
	for (size_t i = 0; i < n_pages; i++)
		buf_printf(&b, "%s%zu 0 R", i ? " " : "", 4 + n_content + i);
	buf_printf(&b, "] /Count %zu >>\nendobj\n", n_pages);
	off[3] = b.len;
	buf_puts(&b, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
		     "/Encoding /WinAnsiEncoding >>\nendobj\n");
	for (size_t i = 0; i < n_content; i++) {
		size_t cl = content_len ? content_len[i] : strlen(content[i]);
		off[4 + i] = b.len;
		buf_printf(&b, "%zu 0 obj\n<< /Length %zu >>\nstream\n", 4 + i, cl);
		buf_append(&b, content[i], cl);
		buf_puts(&b, "\nendstream\nendobj\n");
	}
	for (size_t i = 0; i < n_pages; i++) {
		size_t o = 4 + n_content + i;
		off[o] = b.len;
		buf_printf(&b, "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
			       "/Resources << /Font << /F1 3 0 R >> >> /Contents %zu 0 R >>\n"
			       "endobj\n", o, 4 + (n_content ? i % n_content : 0));
	}
	size_t xref = b.len;
	buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", n_obj + 1);
	for (size_t i = 1; i <= n_obj; i++)
		buf_printf(&b, "%010zu 00000 n \n", off[i]);
	buf_printf(&b, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
		   n_obj + 1, xref);
	free(off);
	return buf_detach(&b, len);
}

/* A PDF of one page per content stream. */
static inline char *pdf_pages(const char *const *content, size_t n, size_t *len)
{
	return pdf_build(content, NULL, n, n, len);
}

#endif
