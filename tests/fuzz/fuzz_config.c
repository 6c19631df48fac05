/*
 * fuzz_config: src/config.c on arbitrary bytes.
 *
 * 1. config_parse of the input as a file, over the defaults;
 * 2. config_set_option of the input as one NUL-terminated string, and of
 *    each of its lines, over the defaults (a second config);
 * 3. for both: config_validate, config_foreach.
 *
 * Invariants checked:
 *   - config_parse / config_validate / config_set_option return exactly
 *     the number of errors they added (set_option: 0 or -1 with one);
 *   - errs.count counts every error; kept messages are min(count, 32),
 *     each NUL-terminated inside its buffer, non-empty, and starting with
 *     the origin: "fuzz.conf:N: " (N a line of the input) for the parser,
 *     "-o: " for set_option;
 *   - the settings stay in their documented domains whatever the input;
 *   - config_foreach gives every key once, in table order (the
 *     access-control lists allow/deny/manager: once per entry), each
 *     value a string without line break;
 *   - only when config_validate passed: writing config_foreach's output
 *     back as a file (quoting the values that need it) and parsing it
 *     over the defaults gives no error and the same settings.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define FILE_NAME	"fuzz.conf"
#define OUT_MAX		(64 * 1024)

static const struct config_paths paths = {
	.state_dir = "/var/lib/igd2d",
	.runtime_dir = "/run/igd2d",
	.pid_file = "/run/igd2d.pid",
	.version = "0.1",
	.url = "https://example.org/igd2d",
};

/* Kept messages of errs[from..to) must start with the given origin. */
static void
check_errs(const struct config_errs *errs, unsigned from, unsigned to,
    const char *origin, unsigned nlines)
{
	unsigned i, line;
	const char *msg, *p;
	char *end;
	size_t olen = strlen(origin);

	FUZZ_CHECK(errs->count == to, "count %u, expected %u", errs->count,
	    to);
	for (i = from; i < to && i < CONFIG_ERRS_MAX; i++) {
		msg = errs->err[i].msg;
		FUZZ_CHECK(memchr(msg, '\0', CONFIG_ERR_LEN) != NULL,
		    "error %u not terminated", i);
		FUZZ_CHECK(msg[0] != '\0', "error %u empty", i);
		if (origin[0] == '\0')
			continue;		/* validate: the key names it */
		FUZZ_CHECK(strncmp(msg, origin, olen) == 0,
		    "error %u \"%s\" does not start with \"%s\"", i, msg,
		    origin);
		p = msg + olen;
		if (nlines > 0) {		/* "fuzz.conf" ":N: " */
			FUZZ_CHECK(*p == ':' && isdigit((unsigned char)p[1]),
			    "error %u \"%s\": no line number", i, msg);
			line = (unsigned)strtoul(p + 1, &end, 10);
			FUZZ_CHECK(line >= 1 && line <= nlines,
			    "error %u \"%s\": line %u of %u", i, msg, line,
			    nlines);
			p = end;
		}
		FUZZ_CHECK(p[0] == ':' && p[1] == ' ', "error %u \"%s\": no "
		    "\": \" after the origin", i, msg);
	}
}

static void
check_str(const char *s, size_t size, const char *what)
{
	FUZZ_CHECK(memchr(s, '\0', size) != NULL, "%s not terminated", what);
}

/* The domains the key table promises, whatever the input. */
static void
check_domains(const struct config *c)
{
	struct in_addr a;
	size_t i;

	check_str(c->lan_interface, sizeof(c->lan_interface), "lan");
	check_str(c->wan_interface, sizeof(c->wan_interface), "wan");
	check_str(c->friendly_name, sizeof(c->friendly_name), "friendly");
	check_str(c->manufacturer, sizeof(c->manufacturer), "manufacturer");
	check_str(c->manufacturer_url, sizeof(c->manufacturer_url), "murl");
	check_str(c->model_description, sizeof(c->model_description), "md");
	check_str(c->model_name, sizeof(c->model_name), "model_name");
	check_str(c->model_number, sizeof(c->model_number), "model_number");
	check_str(c->model_url, sizeof(c->model_url), "model_url");
	check_str(c->serial_number, sizeof(c->serial_number), "serial");
	check_str(c->uuid, sizeof(c->uuid), "uuid");
	check_str(c->state_dir, sizeof(c->state_dir), "state_dir");
	check_str(c->runtime_dir, sizeof(c->runtime_dir), "runtime_dir");
	check_str(c->pid_file, sizeof(c->pid_file), "pid_file");
	check_str(c->fw_chain_prefix, sizeof(c->fw_chain_prefix), "prefix");
	FUZZ_CHECK(strlen(c->friendly_name) <= 64, "friendly_name length");
	FUZZ_CHECK(strlen(c->model_name) <= 32, "model_name length");
	FUZZ_CHECK(strlen(c->model_number) <= 32, "model_number length");
	FUZZ_CHECK(c->ssdp_max_age >= 62 && c->ssdp_max_age <= 86400,
	    "ssdp_max_age %u", c->ssdp_max_age);
	FUZZ_CHECK(c->lan_wait <= 600, "lan_wait %u", c->lan_wait);
	FUZZ_CHECK(c->max_mappings >= 1 && c->max_mappings <= 65535,
	    "max_mappings %u", c->max_mappings);
	FUZZ_CHECK(c->max_mappings_per_client >= 1 &&
	    c->max_mappings_per_client <= 65535, "max_mappings_per_client");
	FUZZ_CHECK(c->max_description >= 1 && c->max_description <= 256,
	    "max_description %u", c->max_description);
	FUZZ_CHECK(c->max_soap_body >= 1024 && c->max_soap_body <= 65536,
	    "max_soap_body %u", c->max_soap_body);
	FUZZ_CHECK(c->ssdp_rate <= 10000 && c->ssdp_burst >= 1 &&
	    c->ssdp_burst <= 10000, "ssdp_rate/burst");
	FUZZ_CHECK(c->connect_delay <= 3600 && c->disconnect_delay <= 3600 &&
	    c->connecting_timeout >= 1 && c->connecting_timeout <= 3600,
	    "connection delays");
	check_str(c->external_ip, sizeof(c->external_ip), "external_ip");
	FUZZ_CHECK(c->external_ip[0] == '\0' ||
	    inet_pton(AF_INET, c->external_ip, &a) == 1, "external_ip \"%s\"",
	    c->external_ip);
	FUZZ_CHECK(c->acl.nrules <= ACL_RULES_MAX &&
	    c->acl.nmanagers <= ACL_MANAGERS_MAX, "acl list lengths");
	FUZZ_CHECK(c->igd_version == 1 || c->igd_version == 2,
	    "igd_version %u", c->igd_version);
	FUZZ_CHECK((unsigned)c->log_level <= CONFIG_LOG_DEBUG, "log_level");
	FUZZ_CHECK(c->uuid[0] == '\0' || strlen(c->uuid) == CONFIG_UUID_LEN,
	    "uuid length");
	for (i = 0; c->uuid[i] != '\0'; i++)
		FUZZ_CHECK(c->uuid[i] == '-' ? i == 8 || i == 13 || i == 18 ||
		    i == 23 : isxdigit((unsigned char)c->uuid[i]) &&
		    !isupper((unsigned char)c->uuid[i]), "uuid \"%s\"",
		    c->uuid);
	FUZZ_CHECK(c->pid_file[0] == '/' && c->state_dir[0] == '/' &&
	    c->runtime_dir[0] == '/', "relative path");
	FUZZ_CHECK(c->fw_chain_prefix[0] != '\0', "empty chain prefix");
}

/*
 * Keys that config_foreach gives once per list entry (0..n times), not
 * once: the access-control lists and the static mappings.  Every other
 * key comes exactly once, in table order.
 */
static const char *const repeatable[] = { "allow", "deny", "manager",
    "static" };

static bool
is_repeatable(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(repeatable) / sizeof(repeatable[0]); i++)
		if (strcmp(key, repeatable[i]) == 0)
			return true;
	return false;
}

/* config_foreach's output, as a file. */
struct dump {
	char	 text[OUT_MAX];
	size_t	 len;
	size_t	 next;			/* table index of the next single key */
	bool	 overflow;
};

static void
put(struct dump *d, const char *s)
{
	size_t n = strlen(s);

	if (d->len + n >= sizeof(d->text)) {
		d->overflow = true;
		return;
	}
	memcpy(d->text + d->len, s, n + 1);
	d->len += n;
}

static bool
needs_quotes(const char *v)
{
	size_t n = strlen(v);

	return n == 0 || strpbrk(v, "#\"\\") != NULL ||
	    isblank((unsigned char)v[0]) || isblank((unsigned char)v[n - 1]);
}

/* Skips repeatable keys in the table; returns the next single key. */
static const char *
next_single(struct dump *d)
{
	while (d->next < config_nkeys() && is_repeatable(config_key(d->next)))
		d->next++;
	return d->next < config_nkeys() ? config_key(d->next) : NULL;
}

static void
dump_one(const char *key, const char *value, void *arg)
{
	struct dump *d = arg;
	char esc[2 * CONFIG_LINE_MAX], *q = esc;
	const char *p, *want;

	if (!is_repeatable(key)) {
		want = next_single(d);
		FUZZ_CHECK(want != NULL && strcmp(key, want) == 0, "foreach: "
		    "\"%s\" where the table has \"%s\"", key,
		    want != NULL ? want : "(end)");
		d->next++;
	}
	FUZZ_CHECK(strlen(value) < CONFIG_LINE_MAX, "foreach: long value");
	FUZZ_CHECK(strpbrk(value, "\r\n") == NULL, "foreach: value of %s has "
	    "a line break", key);
	put(d, key);
	put(d, " = ");
	if (needs_quotes(value)) {
		*q++ = '"';
		for (p = value; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				*q++ = '\\';
			*q++ = *p;
		}
		*q++ = '"';
		*q = '\0';
		put(d, esc);
	} else
		put(d, value);
	put(d, "\n");
}

static void
dump(const struct config *c, struct dump *d)
{
	memset(d, 0, sizeof(*d));
	config_foreach(c, dump_one, d);
	FUZZ_CHECK(next_single(d) == NULL, "foreach: key \"%s\" missing",
	    next_single(d));
	FUZZ_CHECK(!d->overflow, "foreach output overflow");
}

static struct dump d1, d2;

static void
check_config(const struct config *c)
{
	struct config again;
	struct config_errs errs;
	unsigned n, nv;

	check_domains(c);
	memset(&errs, 0, sizeof(errs));
	nv = config_validate(c, &errs);
	check_errs(&errs, 0, nv, "", 0);
	FUZZ_CHECK(nv <= 3, "validate added %u errors", nv);
	dump(c, &d1);
	if (nv != 0)
		return;
	/* A valid config survives its own printout (igd2d -n, -p). */
	config_defaults(&again, &paths);
	memset(&errs, 0, sizeof(errs));
	n = config_parse(&again, FILE_NAME, d1.text, d1.len, &errs);
	FUZZ_CHECK(n == 0, "reparse of the printed config: %u errors, first "
	    "\"%s\"\n--- text:\n%s---", n, errs.err[0].msg, d1.text);
	dump(&again, &d2);
	FUZZ_CHECK(d1.len == d2.len && memcmp(d1.text, d2.text, d1.len) == 0,
	    "reparse changed the config:\n%s---\n%s---", d1.text, d2.text);
	memset(&errs, 0, sizeof(errs));
	FUZZ_CHECK(config_validate(&again, &errs) == 0, "reparse: invalid");
}

static unsigned
count_lines(const uint8_t *data, size_t size)
{
	unsigned n = 0;
	size_t i = 0;

	while (i < size) {
		n++;
		while (i < size && data[i] != '\n')
			i++;
		i++;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg, opt;
	static struct config_errs errs;
	char *str, *line, *save = NULL;
	unsigned before, n;
	int r;

	/* 1. the file parser */
	config_defaults(&cfg, &paths);
	memset(&errs, 0, sizeof(errs));
	n = config_parse(&cfg, FILE_NAME, (const char *)data, size, &errs);
	check_errs(&errs, 0, n, FILE_NAME, count_lines(data, size));
	check_config(&cfg);

	/* 2. -o key=value: the input as one string, then line by line */
	if ((str = malloc(size + 1)) == NULL)
		return 0;
	memcpy(str, data, size);
	str[size] = '\0';
	config_defaults(&opt, &paths);
	memset(&errs, 0, sizeof(errs));
	r = config_set_option(&opt, "-o", str, &errs);
	FUZZ_CHECK(r == 0 || r == -1, "set_option returned %d", r);
	check_errs(&errs, 0, r == 0 ? 0 : 1, "-o", 0);
	if (strchr(str, '\n') != NULL) {
		for (line = strtok_r(str, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			before = errs.count;
			r = config_set_option(&opt, "-o", line, &errs);
			FUZZ_CHECK(r == 0 || r == -1, "set_option: %d", r);
			check_errs(&errs, before, before + (r == 0 ? 0 : 1),
			    "-o", 0);
		}
	}
	free(str);
	check_config(&opt);
	return 0;
}
