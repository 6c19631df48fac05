/*
 * config: settings, defaults and the "key = value" file format.
 *
 * Format, one setting per line:
 *	# comment (also after a value, when preceded by white space)
 *	key = value
 *	key = "quoted value with # and \" and \\"
 * Keys are looked up in a sorted table (bsearch); each entry knows its
 * type and its slot in struct config, so adding a key is one table line.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ktype { K_STR, K_IFNAME, K_PATH, K_UINT, K_BOOL, K_LOGLEVEL, K_UUID,
	K_VERSION, K_ALLOW, K_DENY, K_MANAGER, K_WANMODE, K_IPV4, K_GROUP,
	K_STATIC, K_OPTPATH };

struct key {
	const char	*name;
	enum ktype	 type;
	size_t		 off;		/* offset in struct config */
	size_t		 size;		/* buffer size (strings) / field size */
	uint32_t	 min, max;	/* K_UINT range */
};

#define STR(f, t)	{ #f, t, offsetof(struct config, f), \
			  sizeof(((struct config *)0)->f), 0, 0 }
#define UINT(f, lo, hi)	{ #f, K_UINT, offsetof(struct config, f), \
			  sizeof(((struct config *)0)->f), lo, hi }
#define OTHER(f, t)	{ #f, t, offsetof(struct config, f), \
			  sizeof(((struct config *)0)->f), 0, 0 }

/* A key whose name is not its field's. */
#define NAMED(n, f, t)	{ n, t, offsetof(struct config, f), \
			  sizeof(((struct config *)0)->f), 0, 0 }

/* Repeatable keys that append to the access-control lists. */
#define LIST(n, t)	{ n, t, offsetof(struct config, acl), \
			  sizeof(((struct config *)0)->acl), 0, 0 }

/* Sorted by name: config_key_lookup() uses bsearch (a unit test checks). */
static const struct key keys[] = {
	LIST("allow", K_ALLOW),
	UINT(connect_delay, 0, 3600),
	UINT(connecting_timeout, 1, 3600),
	STR(ctl_group, K_GROUP),
	STR(ctl_socket, K_OPTPATH),
	LIST("deny", K_DENY),
	UINT(disconnect_delay, 0, 3600),
	STR(external_ip, K_IPV4),
	STR(friendly_name, K_STR),
	STR(fw_chain_prefix, K_IFNAME),
	OTHER(fw_hook, K_BOOL),
	OTHER(hairpin, K_BOOL),
	UINT(http_conn_burst, 1, 100000),
	UINT(http_conn_limit, 0, 100000),
	UINT(http_conn_rate, 0, 100000),
	UINT(http_port, 0, 65535),
	OTHER(igd_version, K_VERSION),
	STR(lan_interface, K_IFNAME),
	UINT(lan_wait, 0, 600),
	STR(lease_file, K_OPTPATH),
	OTHER(log_level, K_LOGLEVEL),
	LIST("manager", K_MANAGER),
	STR(manufacturer, K_STR),
	STR(manufacturer_url, K_STR),
	UINT(max_description, 1, 256),
	/* PortMappingNumberOfEntries is a ui2 (VC-21). */
	UINT(max_mappings, 1, 65535),
	UINT(max_mappings_per_client, 1, 65535),
	UINT(max_soap_body, 1024, 65536),
	STR(model_description, K_STR),
	STR(model_name, K_STR),
	STR(model_number, K_STR),
	STR(model_url, K_STR),
	OTHER(open_connection_control, K_BOOL),
	OTHER(persist, K_BOOL),
	STR(pid_file, K_PATH),
	STR(runtime_dir, K_PATH),
	STR(serial_number, K_STR),
	UINT(ssdp_burst, 1, 10000),
	/* libupnp raises max-age <= 60 to 62; a day is plenty. */
	UINT(ssdp_max_age, 62, 86400),
	UINT(ssdp_rate, 0, 10000),
	STR(state_dir, K_PATH),
	{ "static", K_STATIC, offsetof(struct config, statics),
	  sizeof(((struct config *)0)->statics), 0, 0 },
	OTHER(uuid, K_UUID),
	OTHER(wan_guard, K_BOOL),
	STR(wan_interface, K_IFNAME),
	NAMED("wan_mode", wan_emulate, K_WANMODE),
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/*
 * UDA 1.0 length limits for description strings (characters; we count
 * bytes, which is stricter for non-ASCII text).
 */
static const struct { const char *key; size_t max; } str_limits[] = {
	{ "friendly_name", 64 },
	{ "manufacturer", 64 },
	{ "model_description", 128 },
	{ "model_name", 32 },
	{ "model_number", 32 },
	{ "serial_number", 64 },
};

static const char *loglevel_names[] = {
	"err", "warning", "notice", "info", "debug"
};

void
config_err_add(struct config_errs *errs, const char *fmt, ...)
{
	va_list ap;

	if (errs->count < CONFIG_ERRS_MAX) {
		va_start(ap, fmt);
		vsnprintf(errs->err[errs->count].msg, CONFIG_ERR_LEN, fmt, ap);
		va_end(ap);
	}
	errs->count++;
}

static void
set_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

void
config_defaults(struct config *cfg, const struct config_paths *p)
{
	memset(cfg, 0, sizeof(*cfg));
	set_str(cfg->friendly_name, sizeof(cfg->friendly_name),
	    "igd2d Internet Gateway");
	set_str(cfg->manufacturer, sizeof(cfg->manufacturer), "igd2d project");
	set_str(cfg->manufacturer_url, sizeof(cfg->manufacturer_url), p->url);
	set_str(cfg->model_description, sizeof(cfg->model_description),
	    "UPnP InternetGatewayDevice:2 for Linux");
	set_str(cfg->model_name, sizeof(cfg->model_name), "igd2d");
	set_str(cfg->model_number, sizeof(cfg->model_number), p->version);
	set_str(cfg->model_url, sizeof(cfg->model_url), p->url);
	set_str(cfg->serial_number, sizeof(cfg->serial_number), "1");
	cfg->ssdp_max_age = 1800;
	set_str(cfg->state_dir, sizeof(cfg->state_dir), p->state_dir);
	set_str(cfg->runtime_dir, sizeof(cfg->runtime_dir), p->runtime_dir);
	set_str(cfg->pid_file, sizeof(cfg->pid_file), p->pid_file);
	cfg->igd_version = 2;
	cfg->log_level = CONFIG_LOG_NOTICE;
	cfg->wan_guard = true;
	set_str(cfg->fw_chain_prefix, sizeof(cfg->fw_chain_prefix), "IGD2D");
	cfg->fw_hook = true;
	cfg->lan_wait = 30;
	cfg->max_mappings = 4096;
	cfg->max_mappings_per_client = 256;
	cfg->max_description = 256;
	cfg->max_soap_body = 8192;
	cfg->ssdp_rate = 10;
	cfg->ssdp_burst = 20;
	cfg->http_conn_limit = HTTP_CONN_LIMIT_MIN;
	cfg->http_conn_rate = 50;
	cfg->http_conn_burst = 100;
	cfg->hairpin = true;
	cfg->connect_delay = 2;
	cfg->connecting_timeout = 60;
	cfg->disconnect_delay = 1;
	cfg->persist = true;
}

static void
path_or_default(const char *set, const char *dir, const char *name,
    char *buf, size_t len)
{
	if (set[0] != '\0')
		snprintf(buf, len, "%s", set);
	else
		snprintf(buf, len, "%s/%s", dir, name);
}

void
config_lease_file(const struct config *cfg, char *buf, size_t len)
{
	path_or_default(cfg->lease_file, cfg->state_dir, "leases", buf, len);
}

void
config_ctl_socket(const struct config *cfg, char *buf, size_t len)
{
	path_or_default(cfg->ctl_socket, cfg->runtime_dir, "igd2d.sock", buf,
	    len);
}

static int
key_cmp(const void *name, const void *k)
{
	return strcmp(name, ((const struct key *)k)->name);
}

static const struct key *
key_lookup(const char *name)
{
	return bsearch(name, keys, NKEYS, sizeof(keys[0]), key_cmp);
}

size_t
config_nkeys(void)
{
	return NKEYS;
}

const char *
config_key(size_t i)
{
	return i < NKEYS ? keys[i].name : NULL;
}

const char *
config_loglevel_name(enum config_loglevel l)
{
	return loglevel_names[l];
}

/* Strict decimal: digits only, no sign, no blanks, no hex (as VC-27). */
static int
parse_uint(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
parse_bool(const char *s, bool *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return *out = true, 0;
		if (strcasecmp(s, no[i]) == 0)
			return *out = false, 0;
	}
	return -1;
}

static bool
valid_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CONFIG_IFNAME_MAX || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return false;
	for (; *s != '\0'; s++)
		if (*s == '/' || isspace((unsigned char)*s) ||
		    !isprint((unsigned char)*s))
			return false;
	return true;
}

/* Accepts "uuid:" + 8-4-4-4-12 hex or the bare form; stores lower case. */
static int
parse_uuid(const char *s, char *out)
{
	char tmp[CONFIG_UUID_LEN + 1];
	size_t i;

	if (strncasecmp(s, "uuid:", 5) == 0)
		s += 5;
	if (strlen(s) != CONFIG_UUID_LEN)
		return -1;
	for (i = 0; i < CONFIG_UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
		} else if (!isxdigit((unsigned char)s[i]))
			return -1;
		tmp[i] = (char)tolower((unsigned char)s[i]);
	}
	tmp[i] = '\0';
	memcpy(out, tmp, sizeof(tmp));	/* only a valid UUID replaces it */
	return 0;
}

static size_t
str_limit(const struct key *k)
{
	size_t i;

	for (i = 0; i < sizeof(str_limits) / sizeof(str_limits[0]); i++)
		if (strcmp(str_limits[i].key, k->name) == 0)
			return str_limits[i].max;
	return k->size - 1;
}

static bool
has_control_chars(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Appends an allow/deny rule, in file order (first match wins). */
static const char *
store_rule(struct acl *acl, bool allow, const char *value)
{
	struct acl_rule r;
	const char *why;

	if (acl->nrules >= ACL_RULES_MAX)
		return "too many allow/deny rules";
	if ((why = acl_parse_rule(allow, value, &r)) != NULL)
		return why;
	acl->rule[acl->nrules++] = r;
	return NULL;
}

static const char *
store_manager(struct acl *acl, const char *value)
{
	struct acl_prefix p;
	const char *why;

	if (acl->nmanagers >= ACL_MANAGERS_MAX)
		return "too many manager lines";
	if ((why = acl_parse_prefix(value, &p)) != NULL)
		return why;
	acl->manager[acl->nmanagers++] = p;
	return NULL;
}

/* The next blank-separated word of *pp (NUL-terminated), or NULL. */
static char *
word(char **pp)
{
	char *p = *pp + strspn(*pp, " \t"), *w = p;

	if (*p == '\0')
		return NULL;
	p += strcspn(p, " \t");
	if (*p != '\0')
		*p++ = '\0';
	*pp = p + strspn(p, " \t");
	return w;
}

static bool
parse_port(const char *s, uint16_t *port)
{
	uint32_t u;

	if (s == NULL || parse_uint(s, 65535, &u) < 0 || u == 0)
		return false;
	*port = (uint16_t)u;
	return true;
}

/* "PROTO EXTPORT CLIENT INTPORT [DESCRIPTION]": one static mapping. */
static const char *
store_static(struct config *cfg, const char *value)
{
	char buf[CONFIG_LINE_MAX], *p = buf, *proto, *client;
	struct config_static st;
	size_t i;

	if (cfg->nstatics >= CONFIG_STATICS_MAX)
		return "too many static lines";
	memset(&st, 0, sizeof(st));
	snprintf(buf, sizeof(buf), "%s", value);
	proto = word(&p);
	if (proto == NULL || (strcasecmp(proto, "TCP") != 0 &&
	    strcasecmp(proto, "UDP") != 0))
		return "expected PROTO EXTPORT CLIENT INTPORT [DESCRIPTION] "
		    "with PROTO TCP or UDP";
	st.udp = strcasecmp(proto, "UDP") == 0;
	if (!parse_port(word(&p), &st.eport))
		return "external port: expected 1-65535";
	client = word(&p);
	if (client == NULL || inet_pton(AF_INET, client, &st.client) != 1 ||
	    st.client.s_addr == 0 || st.client.s_addr == INADDR_BROADCAST)
		return "client: expected a host's IPv4 address";
	if (!parse_port(word(&p), &st.iport))
		return "internal port: expected 1-65535";
	if (has_control_chars(p) || strlen(p) > CONFIG_STATIC_DESC_MAX)
		return "description: at most 128 bytes, no control characters";
	snprintf(st.desc, sizeof(st.desc), "%s", p);
	for (i = 0; i < cfg->nstatics; i++)
		if (cfg->statics[i].udp == st.udp &&
		    cfg->statics[i].eport == st.eport)
			return "this protocol and external port already have "
			    "a static mapping";
	cfg->statics[cfg->nstatics++] = st;
	return NULL;
}

static bool
valid_group(const char *s)
{
	if (strlen(s) >= CONFIG_GROUP_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.')
			return false;
	return true;
}

static bool
repeatable(const struct key *k)
{
	return k->type == K_ALLOW || k->type == K_DENY ||
	    k->type == K_MANAGER || k->type == K_STATIC;
}

/* Stores `value` for key k; returns NULL or what is wrong with it. */
static const char *
store_value(struct config *cfg, const struct key *k, const char *value,
    char *why, size_t whylen)
{
	char *slot = (char *)cfg + k->off;
	struct in_addr in;
	uint32_t u;
	bool b;
	size_t i;

	switch (k->type) {
	case K_STR:
		if (has_control_chars(value))
			return "control characters are not allowed";
		if (strlen(value) > str_limit(k)) {
			snprintf(why, whylen, "longer than %zu bytes",
			    str_limit(k));
			return why;
		}
		set_str(slot, k->size, value);
		return NULL;
	case K_IFNAME:
		if (!valid_ifname(value) || strlen(value) >= k->size)
			return "not a valid interface or chain name "
			    "(1-15 printable characters, no '/' or blanks)";
		set_str(slot, k->size, value);
		return NULL;
	case K_OPTPATH:
		if (value[0] == '\0') {
			slot[0] = '\0';	/* back to the default */
			return NULL;
		}
		/* FALLTHROUGH */
	case K_PATH:
		if (value[0] != '/')
			return "must be an absolute path";
		if (strlen(value) >= k->size || has_control_chars(value))
			return "path too long or contains control characters";
		set_str(slot, k->size, value);
		return NULL;
	case K_UINT:
		if (parse_uint(value, k->max, &u) < 0 || u < k->min) {
			snprintf(why, whylen, "\"%.40s\" is not a number in "
			    "%u..%u", value, k->min, k->max);
			return why;
		}
		if (k->size == sizeof(uint16_t))
			*(uint16_t *)(void *)slot = (uint16_t)u;
		else
			*(uint32_t *)(void *)slot = u;
		return NULL;
	case K_BOOL:
		if (parse_bool(value, &b) < 0)
			return "expected yes or no";
		*(bool *)(void *)slot = b;
		return NULL;
	case K_LOGLEVEL:
		for (i = 0; i < 5; i++)
			if (strcmp(value, loglevel_names[i]) == 0) {
				cfg->log_level = (enum config_loglevel)i;
				return NULL;
			}
		return "expected one of err, warning, notice, info, debug";
	case K_UUID:
		if (value[0] == '\0') {
			cfg->uuid[0] = '\0';
			return NULL;
		}
		if (parse_uuid(value, cfg->uuid) < 0)
			return "not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
		return NULL;
	case K_VERSION:
		if (strcmp(value, "1") != 0 && strcmp(value, "2") != 0)
			return "expected 1 or 2";
		cfg->igd_version = (unsigned)(value[0] - '0');
		return NULL;
	case K_WANMODE:
		if (strcmp(value, "monitor") != 0 &&
		    strcmp(value, "emulate") != 0)
			return "expected monitor or emulate";
		cfg->wan_emulate = strcmp(value, "emulate") == 0;
		return NULL;
	case K_IPV4:
		if (value[0] != '\0' && inet_pton(AF_INET, value, &in) != 1)
			return "not an IPv4 address (dotted quad)";
		set_str(slot, k->size, value);
		return NULL;
	case K_ALLOW:
	case K_DENY:
		return store_rule(&cfg->acl, k->type == K_ALLOW, value);
	case K_MANAGER:
		return store_manager(&cfg->acl, value);
	case K_STATIC:
		return store_static(cfg, value);
	case K_GROUP:
		if (!valid_group(value))
			return "not a group name (letters, digits, '_', '-', "
			    "'.', at most 32)";
		set_str(slot, k->size, value);
		return NULL;
	}
	return "internal error: unknown key type";
}

int
config_set(struct config *cfg, const char *where, const char *key,
    const char *value, struct config_errs *errs)
{
	const struct key *k;
	const char *bad;
	char why[96];

	if ((k = key_lookup(key)) == NULL) {
		config_err_add(errs, "%s: unknown key \"%.64s\"", where, key);
		return -1;
	}
	if ((bad = store_value(cfg, k, value, why, sizeof(why))) != NULL) {
		config_err_add(errs, "%s: %s: %s", where, k->name, bad);
		return -1;
	}
	return 0;
}

int
config_set_option(struct config *cfg, const char *where, const char *kv,
    struct config_errs *errs)
{
	char key[64];
	const char *eq;
	size_t n;

	if ((eq = strchr(kv, '=')) == NULL) {
		config_err_add(errs, "%s: \"%.64s\": expected key=value",
		    where, kv);
		return -1;
	}
	n = (size_t)(eq - kv);
	if (n == 0 || n >= sizeof(key)) {
		config_err_add(errs, "%s: \"%.64s\": missing or overlong key",
		    where, kv);
		return -1;
	}
	memcpy(key, kv, n);
	key[n] = '\0';
	return config_set(cfg, where, key, eq + 1, errs);
}

/*
 * Reads a double-quoted value starting at p (just past the quote) into
 * out.  Returns the position after the closing quote, or NULL.
 */
static const char *
unquote(const char *p, char *out, size_t outlen, const char **why)
{
	size_t n = 0;

	for (; *p != '"'; p++) {
		if (*p == '\0') {
			*why = "unterminated quoted string";
			return NULL;
		}
		if (*p == '\\') {
			p++;
			if (*p != '"' && *p != '\\') {
				*why = "only \\\" and \\\\ escapes are allowed "
				    "in quoted strings";
				return NULL;
			}
		}
		if (n + 1 >= outlen) {
			*why = "value too long";
			return NULL;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
	return p + 1;
}

/* Removes trailing blanks in place. */
static void
rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isblank((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* "allow", "deny" and "manager" lines may omit '=' (miniupnpd syntax). */
static bool
list_line(const char *k, size_t n)
{
	return (n == 5 && strncmp(k, "allow", 5) == 0) ||
	    (n == 4 && strncmp(k, "deny", 4) == 0) ||
	    (n == 7 && strncmp(k, "manager", 7) == 0);
}

/*
 * Splits one line (NUL-terminated, no newline) into key and value.
 * Returns 1 for a setting, 0 for a blank/comment line, -1 with *why set.
 */
static int
split_line(char *line, char **key, char *value, size_t vlen,
    const char **why)
{
	char *p = line, *k, *kend, *hash;
	const char *end;
	bool eq;

	while (isblank((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	k = p;
	while (*p != '\0' && *p != '=' && !isblank((unsigned char)*p))
		p++;
	if (p == k) {
		*why = "missing key before '='";
		return -1;
	}
	kend = p;
	while (isblank((unsigned char)*p))
		p++;
	eq = *p == '=';
	if (!eq && !list_line(k, (size_t)(kend - k))) {
		*why = "expected \"key = value\"";
		return -1;
	}
	if (eq)
		p++;
	*kend = '\0';		/* may be where the '=' was */
	*key = k;
	while (isblank((unsigned char)*p))
		p++;
	if (*p == '"') {
		if ((end = unquote(p + 1, value, vlen, why)) == NULL)
			return -1;
		while (isblank((unsigned char)*end))
			end++;
		if (*end != '\0' && *end != '#') {
			*why = "unexpected text after the closing quote";
			return -1;
		}
		return 1;
	}
	/* Unquoted: a '#' first or after a blank starts a comment. */
	for (hash = p; (hash = strchr(hash, '#')) != NULL; hash++)
		if (hash == p || isblank((unsigned char)hash[-1])) {
			*hash = '\0';
			break;
		}
	rtrim(p);
	if (strlen(p) >= vlen) {
		*why = "value too long";
		return -1;
	}
	memcpy(value, p, strlen(p) + 1);
	return 1;
}

static void
parse_line(struct config *cfg, const char *file, unsigned lineno, char *line,
    bool *seen, struct config_errs *errs)
{
	char where[CONFIG_PATH_MAX + 16], value[CONFIG_LINE_MAX];
	const struct key *k;
	const char *why = NULL;
	char *key;
	int r;

	snprintf(where, sizeof(where), "%s:%u", file, lineno);
	if ((r = split_line(line, &key, value, sizeof(value), &why)) <= 0) {
		if (r < 0)
			config_err_add(errs, "%s: %s", where, why);
		return;
	}
	if ((k = key_lookup(key)) == NULL) {
		config_err_add(errs, "%s: unknown key \"%.64s\"", where, key);
		return;
	}
	if (seen[k - keys] && !repeatable(k)) {
		config_err_add(errs, "%s: %s: set more than once", where,
		    k->name);
		return;
	}
	seen[k - keys] = true;
	(void)config_set(cfg, where, key, value, errs);
}

unsigned
config_parse(struct config *cfg, const char *file, const char *buf,
    size_t len, struct config_errs *errs)
{
	bool seen[NKEYS] = { false };
	char line[CONFIG_LINE_MAX + 1];
	unsigned before = errs->count, lineno = 0;
	size_t i = 0, n, step;

	while (i < len) {
		lineno++;
		for (n = 0; i + n < len && buf[i + n] != '\n'; n++)
			;
		step = n + 1;
		if (n > 0 && buf[i + n - 1] == '\r')
			n--;		/* CRLF: the CR is not part of the line */
		if (memchr(buf + i, '\0', n) != NULL)
			config_err_add(errs, "%s:%u: NUL byte in line", file,
			    lineno);
		else if (n > CONFIG_LINE_MAX)
			config_err_add(errs, "%s:%u: line longer than %d "
			    "bytes", file, lineno, CONFIG_LINE_MAX);
		else {
			memcpy(line, buf + i, n);
			line[n] = '\0';
			parse_line(cfg, file, lineno, line, seen, errs);
		}
		i += step;
	}
	return errs->count - before;
}

/*
 * The HTTP limits must leave room for honest control points: Windows and
 * browsers open several connections at once, and a list is read with one
 * connection per entry. A SYN above a limit is retried by the client, so
 * a too-low limit slows them down rather than failing them.
 */
static void
validate_http(const struct config *cfg, struct config_errs *errs)
{
	if (cfg->http_conn_limit != 0 &&
	    cfg->http_conn_limit < HTTP_CONN_LIMIT_MIN)
		config_err_add(errs, "http_conn_limit: %u would hold back "
		    "control points that open several connections at once; "
		    "use 0 (off) or %u or more", (unsigned)cfg->http_conn_limit,
		    HTTP_CONN_LIMIT_MIN);
	if (cfg->http_conn_rate != 0 &&
	    cfg->http_conn_rate < HTTP_CONN_RATE_MIN)
		config_err_add(errs, "http_conn_rate: %u/s would slow down "
		    "reading a long mapping list; use 0 (off) or %u or more",
		    (unsigned)cfg->http_conn_rate, HTTP_CONN_RATE_MIN);
}

unsigned
config_validate(const struct config *cfg, struct config_errs *errs)
{
	unsigned before = errs->count;

	if (cfg->lan_interface[0] == '\0')
		config_err_add(errs, "lan_interface: not set (use the "
		    "configuration file or --lan IF)");
	if (cfg->wan_interface[0] == '\0')
		config_err_add(errs, "wan_interface: not set (use the "
		    "configuration file or --wan IF)");
	if (cfg->lan_interface[0] != '\0' &&
	    strcmp(cfg->lan_interface, cfg->wan_interface) == 0)
		config_err_add(errs, "lan_interface and wan_interface are "
		    "both \"%s\": they must differ", cfg->lan_interface);
	validate_http(cfg, errs);
	return errs->count - before;
}

static void
format_value(const struct config *cfg, const struct key *k, char *buf,
    size_t len)
{
	const char *slot = (const char *)cfg + k->off;

	switch (k->type) {
	case K_STR:
	case K_IFNAME:
	case K_PATH:
	case K_OPTPATH:
	case K_UUID:
	case K_IPV4:
	case K_GROUP:
		snprintf(buf, len, "%s", slot);
		break;
	case K_WANMODE:
		snprintf(buf, len, "%s", cfg->wan_emulate ? "emulate" :
		    "monitor");
		break;
	case K_UINT:
		snprintf(buf, len, "%u", k->size == sizeof(uint16_t) ?
		    *(const uint16_t *)(const void *)slot :
		    *(const uint32_t *)(const void *)slot);
		break;
	case K_BOOL:
		snprintf(buf, len, "%s", *(const bool *)(const void *)slot ?
		    "yes" : "no");
		break;
	case K_LOGLEVEL:
		snprintf(buf, len, "%s", loglevel_names[cfg->log_level]);
		break;
	case K_VERSION:
		snprintf(buf, len, "%u", cfg->igd_version);
		break;
	case K_ALLOW:
	case K_DENY:
	case K_MANAGER:
	case K_STATIC:
		buf[0] = '\0';		/* one line per entry: see foreach */
		break;
	}
}

/* The access-control lists, one call per entry, rules in their order. */
static void
foreach_list(const struct config *cfg, const struct key *k,
    void (*fn)(const char *, const char *, void *), void *arg)
{
	char buf[96 + CONFIG_STATIC_DESC_MAX];
	char ip[INET_ADDRSTRLEN];
	const struct config_static *st;
	size_t i;

	if (k->type == K_STATIC) {
		for (i = 0; i < cfg->nstatics; i++) {
			st = &cfg->statics[i];
			inet_ntop(AF_INET, &st->client, ip, sizeof(ip));
			snprintf(buf, sizeof(buf), "%s %u %s %u%s%s",
			    st->udp ? "UDP" : "TCP", st->eport, ip, st->iport,
			    st->desc[0] != '\0' ? " " : "", st->desc);
			fn("static", buf, arg);
		}
	} else if (k->type == K_ALLOW) {
		for (i = 0; i < cfg->acl.nrules; i++) {
			acl_format_rule(&cfg->acl.rule[i], buf, sizeof(buf));
			fn(cfg->acl.rule[i].allow ? "allow" : "deny", buf, arg);
		}
	} else if (k->type == K_MANAGER) {
		for (i = 0; i < cfg->acl.nmanagers; i++) {
			acl_format_prefix(&cfg->acl.manager[i], buf,
			    sizeof(buf));
			fn("manager", buf, arg);
		}
	}
}

void
config_foreach(const struct config *cfg,
    void (*fn)(const char *, const char *, void *), void *arg)
{
	char value[CONFIG_PATH_MAX + CONFIG_STR_MAX];
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (repeatable(&keys[i])) {
			foreach_list(cfg, &keys[i], fn, arg);
			continue;
		}
		format_value(cfg, &keys[i], value, sizeof(value));
		fn(keys[i].name, value, arg);
	}
}
