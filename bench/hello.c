/*
 * hello.c -- the bare libmicrohttpd "hello" that bench/web.sh measures the
 * web application against: the same daemon flags as rectify serve (internal
 * polling threads, one per core, epoll), a fixed small body, nothing else.
 * Prints its port, then serves until SIGTERM.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *size, void **ptr)
{
	static const char body[] = "hello\n";
	static int first;
	(void)cls; (void)url; (void)method; (void)version; (void)data; (void)size;
	/* The usual idiom: answer on the second call, so that MHD keeps the
	 * connection alive (a response queued with the headers closes it). */
	if (*ptr == NULL) {
		*ptr = &first;
		return MHD_YES;
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof body - 1, (void *)body,
								 MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "text/plain");
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

int main(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, 0, NULL, NULL, answer,
		NULL, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cores > 1 ? cores : 1),
		MHD_OPTION_CONNECTION_LIMIT, 512, MHD_OPTION_CONNECTION_TIMEOUT, 30,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 256, MHD_OPTION_SOCK_ADDR, &a, MHD_OPTION_END);
	if (!d)
		return 1;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("hello on http://127.0.0.1:%u\n", di ? di->port : 0);
	fflush(stdout);
	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
