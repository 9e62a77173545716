/*
 * doc_docx.c -- .docx reports to text.  (Reading Word files arrives with
 * the office-formats work; until then a .docx is refused with a clear
 * message.)
 */
#include "doc_int.h"

enum rc doc_docx_to_text(const void *data, size_t len, char **text, size_t *text_len,
			 struct err *e)
{
	(void)data;
	(void)len;
	*text = NULL;
	*text_len = 0;
	return ERR(e, RC_MEDIA, "reading .docx files is not available in this build");
}
