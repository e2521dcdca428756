// SPDX-License-Identifier: GPL-2.0
/*
 * add_key_signals: add_key(2) of one key N times while a timer interrupts the
 * process with a caught signal every millisecond (a handler installed
 * without SA_RESTART, so an interrupted system call fails with EINTR instead
 * of being restarted). For selftests/umd_harden.sh: a signal the caller
 * catches must neither fail the request nor cost the handler.
 *
 *   add_key_signals N FILE
 *
 * Prints "calls N ok K eintr E other O signals S" and exits 0 only when
 * every call succeeded and at least one signal arrived during the run.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#define KEY_SPEC_USER_KEYRING	-4
#define MAX_KEY_FILE		(1 << 20)

static volatile sig_atomic_t signals;

static void on_alarm(int sig)
{
	(void)sig;
	signals++;
}

static long add_key(const char *type, const char *desc, const void *data,
		    size_t len, long ring)
{
	return syscall(SYS_add_key, type, desc, data, len, ring);
}

int main(int argc, char **argv)
{
	static char data[MAX_KEY_FILE];
	struct itimerval every_ms = {
		.it_interval = { .tv_usec = 1000 },
		.it_value = { .tv_usec = 1000 },
	};
	struct itimerval off = { 0 };
	struct sigaction sa;
	int n, i, ok = 0, eintr = 0, other = 0;
	size_t len;
	long ring;
	FILE *f;

	if (argc != 3 || (n = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: %s N FILE\n", argv[0]);
		return 2;
	}
	f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	len = fread(data, 1, sizeof(data), f);
	fclose(f);
	ring = add_key("keyring", "add_key_signals", NULL, 0, KEY_SPEC_USER_KEYRING);
	if (ring < 0) {
		perror("keyring");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART */
	if (sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &every_ms, NULL)) {
		perror("timer");
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (add_key("asymmetric", NULL, data, len, ring) >= 0)
			ok++;
		else if (errno == EINTR)
			eintr++;
		else
			other++;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	printf("calls %d ok %d eintr %d other %d signals %d\n", n, ok, eintr,
	       other, (int)signals);
	return ok == n && signals > 0 ? 0 : 1;
}
