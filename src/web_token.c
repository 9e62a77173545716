/*
 * web_token.c -- the shape of session tokens, constant-time comparison of
 * tokens, and the session cookie.
 *
 * A session token is 32 bytes from libsodium's CSPRNG as 64 lower-case hex
 * digits, made by the store (store_session_new), which keeps only its
 * SHA-256, so a copy of the database opens no session.  Its CSRF token is
 * made and kept alongside.  The cookie is HttpOnly and SameSite=Strict, and
 * Secure whenever the request came over TLS (or --behind-https).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "web.h"

bool web_token_valid(const char *s)
{
	if (!s)
		return false;
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9')) || n >= WEB_TOKEN_LEN)
			return false;
	}
	return n == WEB_TOKEN_LEN;
}

bool web_token_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na != nb || na == 0)
		return false;
	return sodium_memcmp(a, b, na) == 0;
}

char *web_cookie(const char *token, bool secure)
{
	if (!token)
		return xasprintf(WEB_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
				 secure ? "; Secure" : "");
	return xasprintf(WEB_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
			 secure ? "; Secure" : "");
}
