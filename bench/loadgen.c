/*
 * loadgen: the benchmark's UPnP control-point load generator (issue 7).
 *
 * Raw HTTP/1.1 + SOAP over one TCP connection per request ("Connection:
 * close", as real control points do: no keep-alive), fixed payloads, N
 * threads.  Every request is bounded by socket timeouts; every loop by a
 * count and a deadline.  Results are one JSON object on stdout; times are
 * CLOCK_MONOTONIC, so they compare with other processes' (python's
 * time.monotonic()) across network namespaces.
 *
 *   loadgen getip  -t IP -p PORT [-c N] [-d SEC]    GetExternalIPAddress
 *   loadgen pair   -t IP -p PORT [-c N] [-d SEC] -P BASE -C CLIENT
 *                  AddPortMapping + DeletePortMapping of port BASE+thread
 *   loadgen fill   -t IP -p PORT -P FROM -n COUNT -C CLIENT [-c N] [-L LEASE]
 *                  [-d LIMIT]  AddPortMapping of ports FROM..FROM+COUNT-1
 *   loadgen lat    -t IP -p PORT -P BASE -n SAMPLES -C CLIENT
 *                  SAMPLES x (timed AddPortMapping of BASE+i, untimed Delete)
 *   loadgen walk   -t IP -p PORT                    GetGenericPortMappingEntry
 *                  0, 1, ... until an error (713)
 *   loadgen list   -t IP -p PORT [-n NUMBER]        GetListOfPortMappings
 *                  1024-65535 TCP, NewManage 1
 *   loadgen del    -t IP -p PORT -P FROM -n COUNT  DeletePortMapping of
 *                  ports FROM..FROM+COUNT-1, one at a time
 *   loadgen leaseadd -t IP -p PORT -P FROM -n COUNT -C CLIENT -L LEASE
 *                  adds, one at a time; "t" of each answer in the output
 *   loadgen ssdp   -b LANIP -w SEC -R READYFILE     M-SEARCH every 10 ms
 *                  until the first "HTTP/1.1 200" answer; its time
 *   loadgen serve  -t IP -p PORT [-c THREADS] [-d SEC]
 *                  trivial HTTP responder: a fixed 200 SOAP answer
 *   loadgen stamp  FILE PROG ARGS...                writes the monotonic
 *                  time to FILE, then execs PROG (same process)
 *
 * Common: -S SERVICETYPE (default WANIPConnection:2), -u PATH (/ctl/IPConn).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAXTHREADS 64
#define RESP_MAX (4 * 1024 * 1024)	/* a 1000-entry listing is ~400 kB */
#define IO_TIMEOUT_S 10
#define MAX_SAMPLES_PER_THREAD (2u * 1000 * 1000)

static const char *o_ip = "192.168.77.1";
static int o_port = 0;
static const char *o_path = "/ctl/IPConn";
static const char *o_st = "urn:schemas-upnp-org:service:WANIPConnection:2";
static const char *o_client = "192.168.77.10";
static const char *o_bind = NULL;
static const char *o_ready = NULL;
static int o_conc = 1;
static double o_dur = 5.0;
static int o_dur_set = 0;
static long o_count = 0;
static int o_base = 40000;
static unsigned o_lease = 3600;
static long o_number = 1000;
static double o_wait = 20.0;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "loadgen: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* ---- requests ------------------------------------------------------- */

struct req {
	char *buf;
	size_t len;
};

/* A complete POST for ACTION with the argument elements ARGS (XML). */
static void
build(struct req *r, const char *action, const char *args)
{
	char body[2048], *out;
	int blen, n;

	blen = snprintf(body, sizeof body,
	    "<?xml version=\"1.0\"?>\r\n"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
	    "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
	    "<s:Body><u:%s xmlns:u=\"%s\">%s</u:%s></s:Body></s:Envelope>\r\n",
	    action, o_st, args, action);
	if (blen < 0 || (size_t)blen >= sizeof body)
		die("body too long");
	out = malloc(4096);
	if (out == NULL)
		die("out of memory");
	n = snprintf(out, 4096,
	    "POST %s HTTP/1.1\r\n"
	    "Host: %s:%d\r\n"
	    "Content-Type: text/xml; charset=\"utf-8\"\r\n"
	    "SOAPAction: \"%s#%s\"\r\n"
	    "Connection: close\r\n"
	    "Content-Length: %d\r\n"
	    "\r\n%s",
	    o_path, o_ip, o_port, o_st, action, blen, body);
	if (n < 0 || n >= 4096)
		die("request too long");
	r->buf = out;
	r->len = (size_t)n;
}

static void
build_add(struct req *r, int port, unsigned lease)
{
	char a[1024];

	snprintf(a, sizeof a,
	    "<NewRemoteHost></NewRemoteHost>"
	    "<NewExternalPort>%d</NewExternalPort>"
	    "<NewProtocol>TCP</NewProtocol>"
	    "<NewInternalPort>%d</NewInternalPort>"
	    "<NewInternalClient>%s</NewInternalClient>"
	    "<NewEnabled>1</NewEnabled>"
	    "<NewPortMappingDescription>bench</NewPortMappingDescription>"
	    "<NewLeaseDuration>%u</NewLeaseDuration>",
	    port, port, o_client, lease);
	build(r, "AddPortMapping", a);
}

static void
build_del(struct req *r, int port)
{
	char a[256];

	snprintf(a, sizeof a,
	    "<NewRemoteHost></NewRemoteHost>"
	    "<NewExternalPort>%d</NewExternalPort>"
	    "<NewProtocol>TCP</NewProtocol>", port);
	build(r, "DeletePortMapping", a);
}

static void
build_generic(struct req *r, long idx)
{
	char a[128];

	snprintf(a, sizeof a,
	    "<NewPortMappingIndex>%ld</NewPortMappingIndex>", idx);
	build(r, "GetGenericPortMappingEntry", a);
}

/* ---- one exchange ---------------------------------------------------- */

struct answer {
	int status;		/* HTTP status, 0 on a transport failure */
	int code;		/* UPnP errorCode of a SOAP fault, else 0 */
	size_t bytes;
	char *body;		/* the answer (headers + body), NUL-ended */
};

static int
dial(void)
{
	struct sockaddr_in sa;
	struct timeval tv = { IO_TIMEOUT_S, 0 };
	int s;

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (o_bind != NULL) {
		memset(&sa, 0, sizeof sa);
		sa.sin_family = AF_INET;
		inet_pton(AF_INET, o_bind, &sa.sin_addr);
		if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0) {
			close(s);
			return -1;
		}
	}
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o_port);
	inet_pton(AF_INET, o_ip, &sa.sin_addr);
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(s);
		return -1;
	}
	return s;
}

/*
 * Sends the request, reads the answer until the server closes (we asked
 * for "Connection: close"), or until Content-Length bytes of body are in.
 * buf (cap bytes) receives the answer.
 */
static void
exchange(const struct req *r, char *buf, size_t cap, struct answer *a)
{
	size_t got = 0, off = 0;
	ssize_t n;
	long clen = -1;
	char *hend = NULL, *p;
	int s;

	memset(a, 0, sizeof *a);
	a->body = buf;
	buf[0] = '\0';
	if ((s = dial()) < 0)
		return;
	while (off < r->len) {
		n = send(s, r->buf + off, r->len - off, MSG_NOSIGNAL);
		if (n <= 0) {
			close(s);
			return;
		}
		off += (size_t)n;
	}
	for (;;) {
		if (got + 1 >= cap)
			break;
		n = recv(s, buf + got, cap - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (hend == NULL && (hend = strstr(buf, "\r\n\r\n")) != NULL) {
			p = strcasestr(buf, "\ncontent-length:");
			if (p != NULL && p < hend)
				clen = strtol(p + 16, NULL, 10);
		}
		if (hend != NULL && clen >= 0 &&
		    got >= (size_t)(hend + 4 - buf) + (size_t)clen)
			break;
	}
	close(s);
	buf[got] = '\0';
	a->bytes = got;
	if (got > 12 && strncmp(buf, "HTTP/1.", 7) == 0)
		a->status = atoi(buf + 9);
	if (a->status == 500 && (p = strstr(buf, "errorCode>")) != NULL)
		a->code = atoi(p + 10);
}

/* ---- statistics ------------------------------------------------------ */

static int
cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* q-quantile (0..1) of n sorted samples, nearest rank. */
static double
quant(const uint32_t *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return -1;
	i = (size_t)(q * (double)n + 0.999999);
	if (i < 1)
		i = 1;
	if (i > n)
		i = n;
	return v[i - 1];
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* ---- threaded load (getip, pair, fill) ------------------------------- */

enum mode { M_GETIP, M_PAIR, M_FILL };

struct worker {
	pthread_t th;
	int id;
	enum mode mode;
	double deadline;
	long ok, err;
	int last_status, last_code;
	uint32_t *lat;		/* microseconds per operation */
	size_t nlat;
};

static pthread_barrier_t start_barrier;
static long fill_next;		/* next port index to add (fill) */
static pthread_mutex_t fill_mu = PTHREAD_MUTEX_INITIALIZER;

static void
record(struct worker *w, double t0, int good)
{
	double us = (now() - t0) * 1e6;

	if (good)
		w->ok++;
	else
		w->err++;
	if (w->nlat < MAX_SAMPLES_PER_THREAD)
		w->lat[w->nlat++] = us > 4e9 ? 4000000000u : (uint32_t)us;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct req add, del, get;
	struct answer a;
	char *buf = malloc(65536);
	double t0;
	int port = o_base + w->id;
	long i;

	if (buf == NULL)
		die("out of memory");
	build(&get, "GetExternalIPAddress", "");
	build_add(&add, port, o_lease);
	build_del(&del, port);
	pthread_barrier_wait(&start_barrier);
	for (;;) {
		if (w->mode != M_FILL && now() >= w->deadline)
			break;
		t0 = now();
		switch (w->mode) {
		case M_GETIP:
			exchange(&get, buf, 65536, &a);
			record(w, t0, a.status == 200);
			break;
		case M_PAIR:
			exchange(&add, buf, 65536, &a);
			if (a.status == 200)
				exchange(&del, buf, 65536, &a);
			record(w, t0, a.status == 200);
			break;
		case M_FILL:
			pthread_mutex_lock(&fill_mu);
			i = fill_next < o_count ? fill_next++ : -1;
			pthread_mutex_unlock(&fill_mu);
			if (i < 0 || now() >= w->deadline)
				goto out;
			free(add.buf);
			build_add(&add, o_base + (int)i, o_lease);
			exchange(&add, buf, 65536, &a);
			record(w, t0, a.status == 200);
			break;
		}
		if (a.status != 200) {
			w->last_status = a.status;
			w->last_code = a.code;
		}
	}
out:
	free(buf);
	free(add.buf);
	free(del.buf);
	free(get.buf);
	return NULL;
}

static int
run_threads(enum mode mode, const char *name)
{
	struct worker *w;
	uint32_t *all;
	size_t n = 0;
	long ok = 0, err = 0;
	double t0, t1, c0, c1, limit;
	int i, last_status = 0, last_code = 0;

	if (o_conc < 1 || o_conc > MAXTHREADS)
		die("concurrency 1..%d", MAXTHREADS);
	w = calloc((size_t)o_conc, sizeof *w);
	if (w == NULL)
		die("out of memory");
	pthread_barrier_init(&start_barrier, NULL, (unsigned)o_conc + 1);
	/* fill: bounded by the count, and by -d or a generous deadline */
	limit = mode == M_FILL && !o_dur_set ? 600.0 : o_dur;
	for (i = 0; i < o_conc; i++) {
		w[i].id = i;
		w[i].mode = mode;
		w[i].lat = malloc(MAX_SAMPLES_PER_THREAD * sizeof(uint32_t));
		if (w[i].lat == NULL)
			die("out of memory");
		if (pthread_create(&w[i].th, NULL, work, &w[i]) != 0)
			die("pthread_create");
	}
	c0 = cpu_seconds();
	t0 = now();
	for (i = 0; i < o_conc; i++)
		w[i].deadline = t0 + limit;
	__sync_synchronize();
	pthread_barrier_wait(&start_barrier);
	for (i = 0; i < o_conc; i++)
		pthread_join(w[i].th, NULL);
	t1 = now();
	c1 = cpu_seconds();
	for (i = 0; i < o_conc; i++) {
		ok += w[i].ok;
		err += w[i].err;
		n += w[i].nlat;
		if (w[i].last_status || w[i].last_code) {
			last_status = w[i].last_status;
			last_code = w[i].last_code;
		}
	}
	all = malloc((n + 1) * sizeof *all);
	if (all == NULL)
		die("out of memory");
	n = 0;
	for (i = 0; i < o_conc; i++) {
		memcpy(all + n, w[i].lat, w[i].nlat * sizeof *all);
		n += w[i].nlat;
		free(w[i].lat);
	}
	qsort(all, n, sizeof *all, cmp_u32);
	printf("{\"mode\": \"%s\", \"conc\": %d, \"seconds\": %.4f, "
	    "\"ok\": %ld, \"err\": %ld, \"rate\": %.1f, "
	    "\"lat_p50_us\": %.0f, \"lat_p99_us\": %.0f, \"lat_max_us\": %.0f, "
	    "\"client_cpu_s\": %.3f, \"client_cpu_us_per_op\": %.1f, "
	    "\"last_status\": %d, \"last_code\": %d}\n",
	    name, o_conc, t1 - t0, ok, err, (double)ok / (t1 - t0),
	    quant(all, n, 0.5), quant(all, n, 0.99), quant(all, n, 1.0),
	    c1 - c0, ok + err ? (c1 - c0) * 1e6 / (double)(ok + err) : 0.0,
	    last_status, last_code);
	free(all);
	free(w);
	return err == 0 ? 0 : 1;
}

/* ---- sequential measurements ---------------------------------------- */

static int
run_lat(void)
{
	struct req add, del;
	struct answer a;
	char *buf = malloc(65536);
	uint32_t *v = calloc((size_t)o_count + 1, sizeof *v);
	long i, n = 0, err = 0;
	double t0, us, deadline = now() + 300;
	int last_code = 0, last_status = 0;

	if (buf == NULL || v == NULL)
		die("out of memory");
	for (i = 0; i < o_count && now() < deadline; i++) {
		build_add(&add, o_base + (int)i, o_lease);
		build_del(&del, o_base + (int)i);
		t0 = now();
		exchange(&add, buf, 65536, &a);
		us = (now() - t0) * 1e6;
		if (a.status == 200) {
			v[n++] = (uint32_t)us;
			exchange(&del, buf, 65536, &a);
		}
		if (a.status != 200) {
			err++;
			last_status = a.status;
			last_code = a.code;
		}
		free(add.buf);
		free(del.buf);
	}
	qsort(v, (size_t)n, sizeof *v, cmp_u32);
	printf("{\"mode\": \"lat\", \"samples\": %ld, \"err\": %ld, "
	    "\"lat_p50_us\": %.0f, \"lat_p99_us\": %.0f, \"lat_max_us\": %.0f, "
	    "\"last_status\": %d, \"last_code\": %d}\n",
	    n, err, quant(v, (size_t)n, 0.5), quant(v, (size_t)n, 0.99),
	    quant(v, (size_t)n, 1.0), last_status, last_code);
	free(v);
	free(buf);
	return err == 0 ? 0 : 1;
}

static int
run_walk(void)
{
	struct req r;
	struct answer a;
	char *buf = malloc(65536);
	long i;
	double t0 = now(), deadline = t0 + 300;

	if (buf == NULL)
		die("out of memory");
	for (i = 0; i < 70000 && now() < deadline; i++) {
		build_generic(&r, i);
		exchange(&r, buf, 65536, &a);
		free(r.buf);
		if (a.status != 200)
			break;
	}
	printf("{\"mode\": \"walk\", \"entries\": %ld, \"seconds\": %.4f, "
	    "\"end_status\": %d, \"end_code\": %d}\n",
	    i, now() - t0, a.status, a.code);
	free(buf);
	return a.status == 500 && a.code == 713 ? 0 : 1;
}

/* Occurrences of s in h. */
static long
count(const char *h, const char *s)
{
	long n = 0;
	size_t l = strlen(s);

	while ((h = strstr(h, s)) != NULL) {
		n++;
		h += l;
	}
	return n;
}

static int
run_list(void)
{
	struct req r;
	struct answer a;
	char args[512], *buf = malloc(RESP_MAX);
	double t0;

	if (buf == NULL)
		die("out of memory");
	snprintf(args, sizeof args,
	    "<NewStartPort>1024</NewStartPort><NewEndPort>65535</NewEndPort>"
	    "<NewProtocol>TCP</NewProtocol><NewManage>1</NewManage>"
	    "<NewNumberOfPorts>%ld</NewNumberOfPorts>", o_number);
	build(&r, "GetListOfPortMappings", args);
	t0 = now();
	exchange(&r, buf, RESP_MAX, &a);
	/* The element name appears twice per entry (open and close tag),
	 * whether the listing is escaped or in CDATA. */
	printf("{\"mode\": \"list\", \"entries\": %ld, \"seconds\": %.4f, "
	    "\"bytes\": %zu, \"status\": %d, \"code\": %d}\n",
	    count(buf, "NewInternalClient") / 2, now() - t0, a.bytes,
	    a.status, a.code);
	free(r.buf);
	free(buf);
	return a.status == 200 ? 0 : 1;
}

static int
run_del(void)
{
	struct req del;
	struct answer a;
	char *buf = malloc(65536);
	long i, ok = 0, err = 0;
	double t0 = now(), deadline = t0 + 300;
	int last_code = 0;

	if (buf == NULL)
		die("out of memory");
	for (i = 0; i < o_count && now() < deadline; i++) {
		build_del(&del, o_base + (int)i);
		exchange(&del, buf, 65536, &a);
		free(del.buf);
		if (a.status == 200)
			ok++;
		else {
			err++;
			last_code = a.code;
		}
	}
	printf("{\"mode\": \"del\", \"ok\": %ld, \"err\": %ld, "
	    "\"seconds\": %.4f, \"last_code\": %d}\n",
	    ok, err, now() - t0, last_code);
	free(buf);
	return err == 0 ? 0 : 1;
}

static int
run_leaseadd(void)
{
	struct req add;
	struct answer a;
	char *buf = malloc(65536);
	long i, err = 0;
	double t0, deadline = now() + 120;

	if (buf == NULL)
		die("out of memory");
	printf("{\"mode\": \"leaseadd\", \"lease\": %u, \"adds\": [", o_lease);
	for (i = 0; i < o_count && now() < deadline; i++) {
		build_add(&add, o_base + (int)i, o_lease);
		t0 = now();
		exchange(&add, buf, 65536, &a);
		if (a.status != 200)
			err++;
		else
			printf("%s[%d, %.6f, %.6f]", i ? ", " : "",
			    o_base + (int)i, t0, now());
		free(add.buf);
	}
	printf("], \"err\": %ld}\n", err);
	free(buf);
	return err == 0 ? 0 : 1;
}

/* ---- SSDP ------------------------------------------------------------- */

static int
run_ssdp(void)
{
	static const char msearch[] =
	    "M-SEARCH * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\n"
	    "MAN: \"ssdp:discover\"\r\n"
	    "MX: 1\r\n"
	    "ST: upnp:rootdevice\r\n"
	    "\r\n";
	struct sockaddr_in sa, from;
	struct in_addr ifa;
	socklen_t fl;
	char buf[2048];
	unsigned char ttl = 2;
	double t_end, t_next, t;
	long sent = 0;
	int s, fd;
	ssize_t n;

	if (o_bind == NULL)
		die("ssdp: -b LANIP");
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket: %s", strerror(errno));
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	inet_pton(AF_INET, o_bind, &sa.sin_addr);
	if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("bind: %s", strerror(errno));
	ifa = sa.sin_addr;
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_IF, &ifa, sizeof ifa);
	setsockopt(s, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(1900);
	inet_pton(AF_INET, "239.255.255.250", &sa.sin_addr);
	if (o_ready != NULL) {
		fd = open(o_ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0)
			close(fd);
	}
	t_end = now() + o_wait;
	t_next = 0;
	while ((t = now()) < t_end) {
		if (t >= t_next) {
			sendto(s, msearch, sizeof msearch - 1, 0,
			    (struct sockaddr *)&sa, sizeof sa);
			sent++;
			t_next = t + 0.010;
		}
		struct pollfd pf = { s, POLLIN, 0 };
		int ms = (int)((t_next - now()) * 1000) + 1;
		if (poll(&pf, 1, ms < 1 ? 1 : ms) <= 0)
			continue;
		fl = sizeof from;
		n = recvfrom(s, buf, sizeof buf - 1, 0,
		    (struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		if (strncmp(buf, "HTTP/1.1 200", 12) == 0) {
			printf("{\"mode\": \"ssdp\", \"t_first\": %.6f, "
			    "\"sent\": %ld, \"from\": \"%s\"}\n",
			    now(), sent, inet_ntoa(from.sin_addr));
			return 0;
		}
	}
	printf("{\"mode\": \"ssdp\", \"t_first\": null, \"sent\": %ld}\n", sent);
	return 1;
}

/* ---- trivial responder (the load generator's ceiling) ---------------- */

static int serve_fd;
static double serve_end;

static void *
serve_thread(void *arg)
{
	static const char body[] =
	    "<?xml version=\"1.0\"?>\r\n"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
	    "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
	    "<s:Body><u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-"
	    "upnp-org:service:WANIPConnection:2\"><NewExternalIPAddress>"
	    "203.0.113.1</NewExternalIPAddress></u:GetExternalIPAddressResponse>"
	    "</s:Body></s:Envelope>\r\n";
	char resp[1024], buf[8192], *h, *p;
	struct timeval tv = { 2, 0 };
	int rl, c;
	size_t got;
	ssize_t n;
	long clen;

	(void)arg;
	rl = snprintf(resp, sizeof resp,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=\"utf-8\"\r\n"
	    "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
	    sizeof body - 1, body);
	while (now() < serve_end) {
		struct pollfd pf = { serve_fd, POLLIN, 0 };
		if (poll(&pf, 1, 200) <= 0)
			continue;
		c = accept4(serve_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			continue;
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		got = 0;
		clen = -1;
		h = NULL;
		while (got < sizeof buf - 1) {
			n = recv(c, buf + got, sizeof buf - 1 - got, 0);
			if (n <= 0)
				break;
			got += (size_t)n;
			buf[got] = '\0';
			if (h == NULL && (h = strstr(buf, "\r\n\r\n")) != NULL) {
				p = strcasestr(buf, "\ncontent-length:");
				clen = p != NULL && p < h ?
				    strtol(p + 16, NULL, 10) : 0;
			}
			if (h != NULL &&
			    got >= (size_t)(h + 4 - buf) + (size_t)clen)
				break;
		}
		send(c, resp, (size_t)rl, MSG_NOSIGNAL);
		close(c);
	}
	return NULL;
}

static int
run_serve(void)
{
	struct sockaddr_in sa;
	pthread_t th[MAXTHREADS];
	int i, one = 1;

	serve_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(serve_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o_port);
	inet_pton(AF_INET, o_ip, &sa.sin_addr);
	if (bind(serve_fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(serve_fd, 1024) < 0)
		die("serve: %s", strerror(errno));
	fcntl(serve_fd, F_SETFL, O_NONBLOCK);
	if (o_ready != NULL) {
		int fd = open(o_ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0)
			close(fd);
	}
	serve_end = now() + o_dur;
	for (i = 0; i < o_conc && i < MAXTHREADS; i++)
		pthread_create(&th[i], NULL, serve_thread, NULL);
	for (i = 0; i < o_conc && i < MAXTHREADS; i++)
		pthread_join(th[i], NULL);
	return 0;
}

/* ---- main --------------------------------------------------------------- */

static int
run_stamp(int argc, char **argv)
{
	FILE *f;

	if (argc < 4)
		die("stamp FILE PROG [ARGS...]");
	f = fopen(argv[2], "w");
	if (f == NULL)
		die("%s: %s", argv[2], strerror(errno));
	fprintf(f, "%.6f\n", now());
	fclose(f);
	execv(argv[3], argv + 3);
	die("exec %s: %s", argv[3], strerror(errno));
	return 2;
}

int
main(int argc, char **argv)
{
	const char *mode;
	int opt;

	if (argc < 2)
		die("usage: loadgen MODE [options] (see the source)");
	mode = argv[1];
	if (strcmp(mode, "stamp") == 0)
		return run_stamp(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	optind = 2;
	while ((opt = getopt(argc, argv, "t:p:u:S:C:b:c:d:n:P:L:N:w:R:")) != -1) {
		switch (opt) {
		case 't': o_ip = optarg; break;
		case 'p': o_port = atoi(optarg); break;
		case 'u': o_path = optarg; break;
		case 'S': o_st = optarg; break;
		case 'C': o_client = optarg; break;
		case 'b': o_bind = optarg; break;
		case 'c': o_conc = atoi(optarg); break;
		case 'd': o_dur = atof(optarg); o_dur_set = 1; break;
		case 'n': o_count = atol(optarg); o_number = o_count; break;
		case 'P': o_base = atoi(optarg); break;
		case 'L': o_lease = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'w': o_wait = atof(optarg); break;
		case 'R': o_ready = optarg; break;
		default: die("bad option");
		}
	}
	if (o_dur <= 0 || o_dur > 600)
		die("-d: 0 < seconds <= 600");
	if (o_count < 0 || o_count > 65535)
		die("-n: 0..65535");
	if (strcmp(mode, "ssdp") == 0)
		return run_ssdp();
	if (o_port <= 0 || o_port > 65535)
		die("-p PORT");
	if (strcmp(mode, "serve") == 0)
		return run_serve();
	if (strcmp(mode, "getip") == 0)
		return run_threads(M_GETIP, "getip");
	if (strcmp(mode, "pair") == 0)
		return run_threads(M_PAIR, "pair");
	if (strcmp(mode, "fill") == 0)
		return run_threads(M_FILL, "fill");
	if (strcmp(mode, "lat") == 0)
		return run_lat();
	if (strcmp(mode, "walk") == 0)
		return run_walk();
	if (strcmp(mode, "list") == 0)
		return run_list();
	if (strcmp(mode, "del") == 0)
		return run_del();
	if (strcmp(mode, "leaseadd") == 0)
		return run_leaseadd();
	die("unknown mode %s", mode);
	return 2;
}
