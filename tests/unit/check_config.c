/*
 * Unit tests for src/config.[ch]: defaults, the "key = value" file format,
 * every key type, every kind of bad line (each with its file:line message),
 * -o options, cross-key validation, the sorted key table and the
 * config_foreach round trip that --check-config relies on.
 *
 * The settings are the daemon's own, not the spec's, so most tests cite
 * no checklist ID; expected values and messages come from config.h and
 * the format described at the top of config.c.
 *
 * "src/config.h", not "config.h": automake's -I. comes before
 * -I$(top_srcdir)/src, so a build tree holding an autoconf-generated
 * config.h (left by a configure from before AC_CONFIG_HEADERS became
 * autoconf.h) would shadow ours.
 */
#include "src/config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_NAME	"test.conf"
#define UUID_LOWER	"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
#define UUID_UPPER	"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"

static const struct config_paths paths = {
	.state_dir = "/var/lib/igd2d-test",
	.runtime_dir = "/run/igd2d-test",
	.pid_file = "/run/igd2d-test/igd2d.pid",
	.version = "9.8.7-test",
	.url = "https://example.org/igd2d-test",
};

static struct config cfg;
static struct config_errs errs;

static void
setup(void)
{
	config_defaults(&cfg, &paths);
	memset(&errs, 0, sizeof(errs));
}

/* Parses a NUL-terminated text as FILE_NAME into cfg. */
static unsigned
parse(const char *text)
{
	return config_parse(&cfg, FILE_NAME, text, strlen(text), &errs);
}

/* The text parses with no error at all. */
static void
parse_ok(const char *text)
{
	unsigned n = parse(text);

	ck_assert_msg(n == 0 && errs.count == 0, "%s: %u error(s), first: %s",
	    text, errs.count, errs.count > 0 ? errs.err[0].msg : "");
}

/* The text gives exactly one error, with exactly this message. */
static void
parse_bad(const char *text, const char *msg)
{
	ck_assert_uint_eq(parse(text), 1);
	ck_assert_uint_eq(errs.count, 1);
	ck_assert_str_eq(errs.err[0].msg, msg);
}

/* Like parse_bad, on a fresh configuration and error list. */
static void
fresh_bad(const char *text, const char *msg)
{
	setup();
	parse_bad(text, msg);
}

/* head, n copies of c, then tail, in a static buffer. */
static const char *
filled(const char *head, char c, size_t n, const char *tail)
{
	static char buf[2 * CONFIG_LINE_MAX];
	size_t h = strlen(head), t = strlen(tail);

	ck_assert_uint_lt(h + n + t, sizeof(buf));
	memcpy(buf, head, h);
	memset(buf + h, c, n);
	memcpy(buf + h + n, tail, t + 1);
	return buf;
}

/* A string of n copies of c. */
static const char *
repeat(char c, size_t n)
{
	return filled("", c, n, "");
}

/* Parses "key = value" (value written as given) on a fresh configuration. */
static void
fresh_ok(const char *key, const char *value)
{
	char line[2 * CONFIG_LINE_MAX];
	size_t k = strlen(key), v = strlen(value);

	ck_assert_uint_lt(k + v + 4, sizeof(line));
	memcpy(line, key, k);
	memcpy(line + k, " = ", 3);
	memcpy(line + k + 3, value, v);
	memcpy(line + k + 3 + v, "\n", 2);
	setup();
	parse_ok(line);
}

/* ---- defaults ----------------------------------------------------------- */

/* The build's paths and version reach the settings named in config_paths. */
START_TEST(defaults_take_the_build_paths)
{
	ck_assert_str_eq(cfg.state_dir, paths.state_dir);
	ck_assert_str_eq(cfg.runtime_dir, paths.runtime_dir);
	ck_assert_str_eq(cfg.pid_file, paths.pid_file);
	ck_assert_str_eq(cfg.model_number, paths.version);
	ck_assert_str_eq(cfg.manufacturer_url, paths.url);
	ck_assert_str_eq(cfg.model_url, paths.url);
}
END_TEST

/* Interfaces have no default (config_validate asks for them). */
START_TEST(defaults_have_no_interfaces)
{
	ck_assert_str_eq(cfg.lan_interface, "");
	ck_assert_str_eq(cfg.wan_interface, "");
}
END_TEST

/* uuid "" means "generated once and kept" (struct config). */
START_TEST(defaults_uuid_is_generated)
{
	ck_assert_str_eq(cfg.uuid, "");
}
END_TEST

/* IGD:2 unless the v1-only description is asked for (struct config). */
START_TEST(defaults_igd_version_is_2)
{
	ck_assert_uint_eq(cfg.igd_version, 2);
}
END_TEST

/*
 * A default installation drops SSDP/HTTP arriving on the WAN; turning the
 * guard off is the exception.
 */
START_TEST(defaults_wan_guard_is_on)
{
	ck_assert(cfg.wan_guard);
}
END_TEST

/* UDA 1.0 §1.1.2: CACHE-CONTROL max-age should be at least 1800 s. */
START_TEST(defaults_ssdp_max_age_at_least_1800)
{
	ck_assert_uint_ge(cfg.ssdp_max_age, 1800);
	ck_assert_uint_le(cfg.ssdp_max_age, 86400);
}
END_TEST

START_TEST(defaults_empty_text_keeps_them)
{
	struct config ref;

	config_defaults(&ref, &paths);
	ck_assert_uint_eq(config_parse(&cfg, FILE_NAME, "", 0, &errs), 0);
	ck_assert_uint_eq(errs.count, 0);
	ck_assert(memcmp(&cfg, &ref, sizeof(cfg)) == 0);
}
END_TEST

/* A text of comments and blank lines changes nothing either. */
START_TEST(defaults_comment_only_text_keeps_them)
{
	struct config ref;

	config_defaults(&ref, &paths);
	parse_ok("# igd2d.conf\n\n   # indented comment\n\t\n");
	ck_assert(memcmp(&cfg, &ref, sizeof(cfg)) == 0);
}
END_TEST

/* ---- good values, per type ---------------------------------------------- */

START_TEST(str_keys_take_text)
{
	parse_ok("friendly_name = Home Gateway\n"
	    "manufacturer = ACME Networks\n"
	    "manufacturer_url = http://acme.example/\n"
	    "model_description = A gateway for the home\n"
	    "model_name = HG-1\n"
	    "model_number = 1.2.3\n"
	    "model_url = http://acme.example/hg1\n"
	    "serial_number = SN-0042\n");
	ck_assert_str_eq(cfg.friendly_name, "Home Gateway");
	ck_assert_str_eq(cfg.manufacturer, "ACME Networks");
	ck_assert_str_eq(cfg.manufacturer_url, "http://acme.example/");
	ck_assert_str_eq(cfg.model_description, "A gateway for the home");
	ck_assert_str_eq(cfg.model_name, "HG-1");
	ck_assert_str_eq(cfg.model_number, "1.2.3");
	ck_assert_str_eq(cfg.model_url, "http://acme.example/hg1");
	ck_assert_str_eq(cfg.serial_number, "SN-0042");
}
END_TEST

/* The UDA limits are maxima: a value of exactly that length is fine. */
START_TEST(str_at_uda_limit_is_accepted)
{
	fresh_ok("friendly_name", repeat('f', 64));
	ck_assert_uint_eq(strlen(cfg.friendly_name), 64);
	fresh_ok("manufacturer", repeat('m', 64));
	ck_assert_uint_eq(strlen(cfg.manufacturer), 64);
	fresh_ok("model_description", repeat('d', 128));
	ck_assert_uint_eq(strlen(cfg.model_description), 128);
	fresh_ok("model_name", repeat('n', 32));
	ck_assert_uint_eq(strlen(cfg.model_name), 32);
	fresh_ok("model_number", repeat('1', 32));
	ck_assert_uint_eq(strlen(cfg.model_number), 32);
	fresh_ok("serial_number", repeat('s', 64));
	ck_assert_uint_eq(strlen(cfg.serial_number), 64);
}
END_TEST

/* URLs have no UDA limit of their own: the buffer (128 bytes) is it. */
START_TEST(str_url_up_to_buffer_is_accepted)
{
	fresh_ok("manufacturer_url", repeat('u', CONFIG_STR_MAX - 1));
	ck_assert_uint_eq(strlen(cfg.manufacturer_url), CONFIG_STR_MAX - 1);
	fresh_ok("model_url", repeat('u', CONFIG_STR_MAX - 1));
	ck_assert_uint_eq(strlen(cfg.model_url), CONFIG_STR_MAX - 1);
}
END_TEST

/* Non-ASCII text is allowed; the limit counts bytes (config.c). */
START_TEST(str_utf8_counts_bytes)
{
	char v[3 * 32 + 1] = "";
	int i;

	for (i = 0; i < 32; i++)
		strcat(v, "\xc3\xa9");		/* U+00E9, 2 bytes */
	fresh_ok("friendly_name", v);		/* 64 bytes */
	ck_assert_str_eq(cfg.friendly_name, v);
	strcat(v, "\xc3\xa9");			/* 66 bytes, 33 characters */
	setup();
	ck_assert_int_eq(config_set(&cfg, "-o", "friendly_name", v, &errs),
	    -1);
	ck_assert_str_eq(errs.err[0].msg,
	    "-o: friendly_name: longer than 64 bytes");
}
END_TEST

START_TEST(ifname_keys_take_names)
{
	parse_ok("lan_interface = br-lan\nwan_interface = eth0.2\n"
	    "fw_chain_prefix = MYUPNP\n");
	ck_assert_str_eq(cfg.lan_interface, "br-lan");
	ck_assert_str_eq(cfg.wan_interface, "eth0.2");
	ck_assert_str_eq(cfg.fw_chain_prefix, "MYUPNP");
}
END_TEST

/* IFNAMSIZ is 16 with the NUL: 15 characters is the longest name. */
START_TEST(ifname_15_chars_is_accepted)
{
	fresh_ok("lan_interface", repeat('l', 15));
	ck_assert_str_eq(cfg.lan_interface, repeat('l', 15));
	fresh_ok("wan_interface", repeat('w', 15));
	ck_assert_str_eq(cfg.wan_interface, repeat('w', 15));
	fresh_ok("fw_chain_prefix", repeat('P', 15));
	ck_assert_str_eq(cfg.fw_chain_prefix, repeat('P', 15));
}
END_TEST

START_TEST(path_keys_take_absolute_paths)
{
	parse_ok("state_dir = /srv/igd2d/state\n"
	    "runtime_dir = /run/x\n"
	    "pid_file = /run/x/igd2d.pid\n");
	ck_assert_str_eq(cfg.state_dir, "/srv/igd2d/state");
	ck_assert_str_eq(cfg.runtime_dir, "/run/x");
	ck_assert_str_eq(cfg.pid_file, "/run/x/igd2d.pid");
}
END_TEST

/* CONFIG_PATH_MAX includes the NUL. */
START_TEST(path_longest_is_accepted)
{
	char v[CONFIG_PATH_MAX];

	/* 255 bytes: the longest that fits with its NUL. */
	memcpy(v, filled("/", 'p', CONFIG_PATH_MAX - 2, ""), sizeof(v));
	fresh_ok("state_dir", v);
	ck_assert_str_eq(cfg.state_dir, v);
}
END_TEST

START_TEST(uint_http_port_edges)
{
	fresh_ok("http_port", "0");
	ck_assert_uint_eq(cfg.http_port, 0);
	fresh_ok("http_port", "65535");
	ck_assert_uint_eq(cfg.http_port, 65535);
	fresh_ok("http_port", "49152");
	ck_assert_uint_eq(cfg.http_port, 49152);
}
END_TEST

START_TEST(uint_ssdp_max_age_edges)
{
	fresh_ok("ssdp_max_age", "62");
	ck_assert_uint_eq(cfg.ssdp_max_age, 62);
	fresh_ok("ssdp_max_age", "86400");
	ck_assert_uint_eq(cfg.ssdp_max_age, 86400);
}
END_TEST

START_TEST(uint_lan_wait_edges)
{
	fresh_ok("lan_wait", "0");
	ck_assert_uint_eq(cfg.lan_wait, 0);
	fresh_ok("lan_wait", "600");
	ck_assert_uint_eq(cfg.lan_wait, 600);
}
END_TEST

/* Leading zeros are still decimal digits. */
START_TEST(uint_leading_zeros_are_decimal)
{
	fresh_ok("http_port", "08080");
	ck_assert_uint_eq(cfg.http_port, 8080);
}
END_TEST

/* Sets both boolean keys from `from`, then parses them as `word`. */
static void
parse_bools(const char *from, const char *word)
{
	char text[128];

	setup();
	snprintf(text, sizeof(text), "wan_guard = %s\nfw_hook = %s\n", from,
	    from);
	parse_ok(text);
	snprintf(text, sizeof(text), "wan_guard = %s\nfw_hook = %s\n", word,
	    word);
	parse_ok(text);
}

START_TEST(bool_true_spellings)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		parse_bools("no", yes[i]);
		ck_assert_msg(cfg.wan_guard, "wan_guard = %s", yes[i]);
		ck_assert_msg(cfg.fw_hook, "fw_hook = %s", yes[i]);
	}
}
END_TEST

START_TEST(bool_false_spellings)
{
	static const char *no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		parse_bools("yes", no[i]);
		ck_assert_msg(!cfg.wan_guard, "wan_guard = %s", no[i]);
		ck_assert_msg(!cfg.fw_hook, "fw_hook = %s", no[i]);
	}
}
END_TEST

START_TEST(log_level_names)
{
	static const struct {
		const char *name;
		enum config_loglevel level;
	} t[] = {
		{ "err", CONFIG_LOG_ERR },
		{ "warning", CONFIG_LOG_WARNING },
		{ "notice", CONFIG_LOG_NOTICE },
		{ "info", CONFIG_LOG_INFO },
		{ "debug", CONFIG_LOG_DEBUG },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		fresh_ok("log_level", t[i].name);
		ck_assert_int_eq(cfg.log_level, t[i].level);
		ck_assert_str_eq(config_loglevel_name(t[i].level), t[i].name);
	}
}
END_TEST

START_TEST(uuid_bare)
{
	fresh_ok("uuid", UUID_LOWER);
	ck_assert_str_eq(cfg.uuid, UUID_LOWER);
}
END_TEST

START_TEST(uuid_with_prefix_stored_bare)
{
	fresh_ok("uuid", "uuid:" UUID_LOWER);
	ck_assert_str_eq(cfg.uuid, UUID_LOWER);
}
END_TEST

START_TEST(uuid_upper_case_stored_lower)
{
	fresh_ok("uuid", "uuid:" UUID_UPPER);
	ck_assert_str_eq(cfg.uuid, UUID_LOWER);
	fresh_ok("uuid", UUID_UPPER);
	ck_assert_str_eq(cfg.uuid, UUID_LOWER);
}
END_TEST

/* An empty uuid goes back to "generated" (struct config). */
START_TEST(uuid_empty_means_generated)
{
	parse_ok("uuid = " UUID_LOWER "\n");
	parse_ok("uuid = \"\"\n");
	ck_assert_str_eq(cfg.uuid, "");
}
END_TEST

START_TEST(igd_version_1_and_2)
{
	fresh_ok("igd_version", "1");
	ck_assert_uint_eq(cfg.igd_version, 1);
	fresh_ok("igd_version", "2");
	ck_assert_uint_eq(cfg.igd_version, 2);
}
END_TEST

/* Unquoted values are right-trimmed, so "2   " is "2". */
START_TEST(igd_version_trailing_blanks_unquoted)
{
	parse_ok("igd_version = 1   \t\n");
	ck_assert_uint_eq(cfg.igd_version, 1);
}
END_TEST

/* ---- syntax: comments, blanks, quoting, line ends ------------------------ */

START_TEST(syntax_full_line_comment)
{
	parse_ok("# http_port = 1\n  \t# http_port = 2\nhttp_port = 3\n");
	ck_assert_uint_eq(cfg.http_port, 3);
}
END_TEST

START_TEST(syntax_comment_after_value)
{
	parse_ok("friendly_name = Home Router # the name CPs show\n"
	    "http_port = 8080\t# tab before the comment\n");
	ck_assert_str_eq(cfg.friendly_name, "Home Router");
	ck_assert_uint_eq(cfg.http_port, 8080);
}
END_TEST

/* A '#' starts a comment only after white space. */
START_TEST(syntax_hash_glued_to_value_is_kept)
{
	parse_ok("friendly_name = Router#1\n");
	ck_assert_str_eq(cfg.friendly_name, "Router#1");
}
END_TEST

START_TEST(syntax_hash_inside_quotes_is_kept)
{
	parse_ok("friendly_name = \"Router # 1\"\n");
	ck_assert_str_eq(cfg.friendly_name, "Router # 1");
}
END_TEST

START_TEST(syntax_comment_after_quoted_value)
{
	parse_ok("friendly_name = \"Router\" # comment\n"
	    "model_name = \"HG\"# glued comment\n");
	ck_assert_str_eq(cfg.friendly_name, "Router");
	ck_assert_str_eq(cfg.model_name, "HG");
}
END_TEST

START_TEST(syntax_blank_lines)
{
	parse_ok("\n\nhttp_port = 1\n   \n\t\n\nlan_wait = 2\n\n");
	ck_assert_uint_eq(cfg.http_port, 1);
	ck_assert_uint_eq(cfg.lan_wait, 2);
}
END_TEST

START_TEST(syntax_crlf_line_ends)
{
	parse_ok("http_port = 8080\r\nfriendly_name = Home\r\n"
	    "model_name = \"HG\"\r\n# comment\r\n\r\n");
	ck_assert_uint_eq(cfg.http_port, 8080);
	ck_assert_str_eq(cfg.friendly_name, "Home");
	ck_assert_str_eq(cfg.model_name, "HG");
}
END_TEST

START_TEST(syntax_last_line_without_newline)
{
	parse_ok("lan_wait = 1\nhttp_port = 8080");
	ck_assert_uint_eq(cfg.http_port, 8080);
}
END_TEST

START_TEST(syntax_quoted_escapes)
{
	parse_ok("friendly_name = \"say \\\"hi\\\" \\\\o/\"\n");
	ck_assert_str_eq(cfg.friendly_name, "say \"hi\" \\o/");
}
END_TEST

/* Quotes keep blanks that an unquoted value would lose. */
START_TEST(syntax_quoted_keeps_blanks)
{
	parse_ok("friendly_name = \"  Home  \"\n");
	ck_assert_str_eq(cfg.friendly_name, "  Home  ");
}
END_TEST

START_TEST(syntax_unquoted_inner_blanks_kept)
{
	parse_ok("friendly_name = My  Home Router   \n");
	ck_assert_str_eq(cfg.friendly_name, "My  Home Router");
}
END_TEST

START_TEST(syntax_blanks_around_equals)
{
	parse_ok("  http_port\t =  \t8080 \t\nlan_wait=7\n");
	ck_assert_uint_eq(cfg.http_port, 8080);
	ck_assert_uint_eq(cfg.lan_wait, 7);
}
END_TEST

/* Line length limit: 1024 bytes is fine (CONFIG_LINE_MAX). */
START_TEST(syntax_line_of_1024_bytes)
{
	parse_ok(filled("#", 'c', CONFIG_LINE_MAX - 1, "\nhttp_port = 1\n"));
	ck_assert_uint_eq(cfg.http_port, 1);
}
END_TEST

/* ---- bad lines: each one error with file:line ---------------------------- */

START_TEST(bad_unknown_key)
{
	parse_bad("http_port = 1\ncolour = blue\n",
	    "test.conf:2: unknown key \"colour\"");
}
END_TEST

/* Keys are spelled exactly as in the table. */
START_TEST(bad_key_wrong_case)
{
	parse_bad("HTTP_PORT = 1\n", "test.conf:1: unknown key \"HTTP_PORT\"");
}
END_TEST

START_TEST(bad_missing_equals)
{
	parse_bad("http_port 8080\n", "test.conf:1: expected \"key = value\"");
	fresh_bad("\nhttp_port\n", "test.conf:2: expected \"key = value\"");
}
END_TEST

START_TEST(bad_missing_key)
{
	parse_bad("= 8080\n", "test.conf:1: missing key before '='");
	fresh_bad("# x\n   = 8080\n", "test.conf:2: missing key before '='");
}
END_TEST

START_TEST(bad_key_with_blanks)
{
	parse_bad("a b = c\n", "test.conf:1: expected \"key = value\"");
	fresh_bad("http port = 80\n", "test.conf:1: expected \"key = value\"");
}
END_TEST

START_TEST(bad_number_letters)
{
	parse_bad("\n\nhttp_port = abc\n",
	    "test.conf:3: http_port: \"abc\" is not a number in 0..65535");
	fresh_bad("http_port = 80a\n",
	    "test.conf:1: http_port: \"80a\" is not a number in 0..65535");
}
END_TEST

START_TEST(bad_number_negative)
{
	parse_bad("http_port = -1\n",
	    "test.conf:1: http_port: \"-1\" is not a number in 0..65535");
}
END_TEST

START_TEST(bad_number_plus_sign)
{
	parse_bad("lan_wait = +5\n",
	    "test.conf:1: lan_wait: \"+5\" is not a number in 0..600");
}
END_TEST

START_TEST(bad_number_quoted_blank)
{
	parse_bad("http_port = \" 80\"\n",
	    "test.conf:1: http_port: \" 80\" is not a number in 0..65535");
	fresh_bad("http_port = \"80 \"\n",
	    "test.conf:1: http_port: \"80 \" is not a number in 0..65535");
}
END_TEST

START_TEST(bad_number_hex)
{
	parse_bad("http_port = 0x10\n",
	    "test.conf:1: http_port: \"0x10\" is not a number in 0..65535");
}
END_TEST

START_TEST(bad_number_exponent)
{
	parse_bad("http_port = 1e3\n",
	    "test.conf:1: http_port: \"1e3\" is not a number in 0..65535");
}
END_TEST

START_TEST(bad_number_over_16_bits)
{
	parse_bad("http_port = 65536\n",
	    "test.conf:1: http_port: \"65536\" is not a number in 0..65535");
}
END_TEST

START_TEST(bad_number_over_32_bits)
{
	parse_bad("ssdp_max_age = 4294967296\n", "test.conf:1: ssdp_max_age: "
	    "\"4294967296\" is not a number in 62..86400");
	fresh_bad("lan_wait = 4294967296\n", "test.conf:1: lan_wait: "
	    "\"4294967296\" is not a number in 0..600");
	fresh_bad("lan_wait = 99999999999999999999999\n", "test.conf:1: "
	    "lan_wait: \"99999999999999999999999\" is not a number in 0..600");
}
END_TEST

START_TEST(bad_number_empty)
{
	parse_bad("http_port =\n",
	    "test.conf:1: http_port: \"\" is not a number in 0..65535");
	fresh_bad("http_port = \"\"\n",
	    "test.conf:1: http_port: \"\" is not a number in 0..65535");
}
END_TEST

/* libupnp raises max-age <= 60 to 62, so 62 is the least accepted. */
START_TEST(bad_number_below_min)
{
	parse_bad("ssdp_max_age = 61\n",
	    "test.conf:1: ssdp_max_age: \"61\" is not a number in 62..86400");
	fresh_bad("ssdp_max_age = 0\n",
	    "test.conf:1: ssdp_max_age: \"0\" is not a number in 62..86400");
}
END_TEST

START_TEST(bad_number_above_max)
{
	parse_bad("ssdp_max_age = 86401\n", "test.conf:1: ssdp_max_age: "
	    "\"86401\" is not a number in 62..86400");
	fresh_bad("lan_wait = 601\n",
	    "test.conf:1: lan_wait: \"601\" is not a number in 0..600");
}
END_TEST

START_TEST(bad_boolean)
{
	parse_bad("wan_guard = maybe\n",
	    "test.conf:1: wan_guard: expected yes or no");
	fresh_bad("fw_hook = 2\n", "test.conf:1: fw_hook: expected yes or no");
	fresh_bad("fw_hook =\n", "test.conf:1: fw_hook: expected yes or no");
}
END_TEST

START_TEST(bad_log_level)
{
	parse_bad("log_level = verbose\n", "test.conf:1: log_level: "
	    "expected one of err, warning, notice, info, debug");
	fresh_bad("log_level = 7\n", "test.conf:1: log_level: "
	    "expected one of err, warning, notice, info, debug");
}
END_TEST

#define BAD_UUID "test.conf:1: uuid: not a UUID " \
	"(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"

START_TEST(bad_uuid_length)
{
	parse_bad("uuid = 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f\n", BAD_UUID);
	fresh_bad("uuid = 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f00\n", BAD_UUID);
	fresh_bad("uuid = uuid:\n", BAD_UUID);
}
END_TEST

START_TEST(bad_uuid_char)
{
	parse_bad("uuid = 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg\n", BAD_UUID);
	/* Quoted, so the blank in the last place stays and is checked. */
	fresh_bad("uuid = \"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f \"\n",
	    BAD_UUID);
}
END_TEST

START_TEST(bad_uuid_misplaced_dash)
{
	parse_bad("uuid = 0f1e2d3c4-b5a-6978-8796-a5b4c3d2e1f0\n", BAD_UUID);
	fresh_bad("uuid = 0f1e2d3c-4b5a-6978-8796a-5b4c3d2e1f0\n", BAD_UUID);
}
END_TEST

START_TEST(bad_igd_version)
{
	parse_bad("igd_version = 0\n",
	    "test.conf:1: igd_version: expected 1 or 2");
	fresh_bad("igd_version = 3\n",
	    "test.conf:1: igd_version: expected 1 or 2");
	fresh_bad("igd_version = 02\n",
	    "test.conf:1: igd_version: expected 1 or 2");
}
END_TEST

/* Quotes keep the blank that an unquoted value would lose. */
START_TEST(bad_igd_version_quoted_blank)
{
	parse_bad("igd_version = \"2 \"\n",
	    "test.conf:1: igd_version: expected 1 or 2");
}
END_TEST

#define BAD_IF(key) "test.conf:1: " key ": not a valid interface or chain " \
	"name (1-15 printable characters, no '/' or blanks)"

START_TEST(bad_ifname_too_long)
{
	parse_bad(filled("lan_interface = ", 'l', 16, "\n"),
	    BAD_IF("lan_interface"));
	setup();
	parse_bad(filled("fw_chain_prefix = ", 'P', 16, "\n"),
	    BAD_IF("fw_chain_prefix"));
}
END_TEST

START_TEST(bad_ifname_slash)
{
	parse_bad("wan_interface = eth/0\n", BAD_IF("wan_interface"));
}
END_TEST

START_TEST(bad_ifname_blank)
{
	parse_bad("lan_interface = \"br 0\"\n", BAD_IF("lan_interface"));
}
END_TEST

START_TEST(bad_ifname_empty)
{
	parse_bad("lan_interface = \"\"\n", BAD_IF("lan_interface"));
	fresh_bad("wan_interface =\n", BAD_IF("wan_interface"));
}
END_TEST

START_TEST(bad_ifname_dots)
{
	parse_bad("lan_interface = .\n", BAD_IF("lan_interface"));
	fresh_bad("lan_interface = ..\n", BAD_IF("lan_interface"));
}
END_TEST

START_TEST(bad_path_relative)
{
	parse_bad("state_dir = var/lib/igd2d\n",
	    "test.conf:1: state_dir: must be an absolute path");
	fresh_bad("pid_file = \"\"\n",
	    "test.conf:1: pid_file: must be an absolute path");
}
END_TEST

START_TEST(bad_path_too_long)
{
	/* 256 bytes: no room for the NUL. */
	parse_bad(filled("runtime_dir = /", 'p', CONFIG_PATH_MAX - 1, "\n"),
	    "test.conf:1: runtime_dir: path too long or contains "
	    "control characters");
}
END_TEST

START_TEST(bad_path_control_char)
{
	parse_bad("pid_file = \"/run/a\tb\"\n", "test.conf:1: pid_file: path "
	    "too long or contains control characters");
}
END_TEST

START_TEST(bad_str_over_uda_limit)
{
	parse_bad(filled("friendly_name = ", 'f', 65, "\n"),
	    "test.conf:1: friendly_name: longer than 64 bytes");
	setup();
	parse_bad(filled("manufacturer = ", 'm', 65, "\n"),
	    "test.conf:1: manufacturer: longer than 64 bytes");
	setup();
	parse_bad(filled("model_name = ", 'n', 33, "\n"),
	    "test.conf:1: model_name: longer than 32 bytes");
	setup();
	parse_bad(filled("model_number = ", '1', 33, "\n"),
	    "test.conf:1: model_number: longer than 32 bytes");
	setup();
	parse_bad(filled("model_description = ", 'd', 129, "\n"),
	    "test.conf:1: model_description: longer than 128 bytes");
	setup();
	parse_bad(filled("serial_number = ", 's', 65, "\n"),
	    "test.conf:1: serial_number: longer than 64 bytes");
}
END_TEST

START_TEST(bad_str_over_buffer)
{
	parse_bad(filled("model_url = ", 'u', CONFIG_STR_MAX, "\n"), "test.conf:1: model_url: longer than 128 bytes");
}
END_TEST

START_TEST(bad_str_control_char)
{
	parse_bad("friendly_name = \"a\tb\"\n",
	    "test.conf:1: friendly_name: control characters are not allowed");
	fresh_bad("serial_number = \"a\x7f\"\n",
	    "test.conf:1: serial_number: control characters are not allowed");
}
END_TEST

START_TEST(bad_unterminated_quote)
{
	parse_bad("friendly_name = \"Home\n",
	    "test.conf:1: unterminated quoted string");
	fresh_bad("friendly_name = \"Home\\\"\n",
	    "test.conf:1: unterminated quoted string");
}
END_TEST

START_TEST(bad_escape)
{
	parse_bad("friendly_name = \"a\\nb\"\n", "test.conf:1: only \\\" and "
	    "\\\\ escapes are allowed in quoted strings");
}
END_TEST

START_TEST(bad_text_after_quote)
{
	parse_bad("friendly_name = \"Home\" Router\n",
	    "test.conf:1: unexpected text after the closing quote");
	fresh_bad("friendly_name = \"Home\"x\n",
	    "test.conf:1: unexpected text after the closing quote");
}
END_TEST

START_TEST(bad_key_set_twice)
{
	parse_bad("http_port = 1\nlan_wait = 2\nhttp_port = 3\n",
	    "test.conf:3: http_port: set more than once");
	/* VC-51: one LAN interface per daemon. */
	fresh_bad("lan_interface = br0\nlan_interface = br1\n",
	    "test.conf:2: lan_interface: set more than once");
}
END_TEST

/* Each text is checked on its own: a later text may set a key again. */
START_TEST(key_in_two_texts_is_fine)
{
	parse_ok("http_port = 1\n");
	parse_ok("http_port = 2\n");
	ck_assert_uint_eq(cfg.http_port, 2);
}
END_TEST

START_TEST(bad_line_too_long)
{
	/* "friendly_name = " is 16 bytes: 16 + 1009 = 1025. */
	parse_bad(filled("http_port = 1\nfriendly_name = ", 'f',
	    CONFIG_LINE_MAX - 15, "\n"),
	    "test.conf:2: line longer than 1024 bytes");
	setup();
	parse_bad(filled("#", 'c', CONFIG_LINE_MAX, "\n"),
	    "test.conf:1: line longer than 1024 bytes");
}
END_TEST

START_TEST(bad_nul_byte)
{
	static const char text[] = "http_port = 1\nfriendly_name = a\0b\n";

	ck_assert_uint_eq(config_parse(&cfg, FILE_NAME, text, sizeof(text) - 1,
	    &errs), 1);
	ck_assert_uint_eq(errs.count, 1);
	ck_assert_str_eq(errs.err[0].msg, "test.conf:2: NUL byte in line");
}
END_TEST

/* The file name given is the one in the messages. */
START_TEST(bad_line_names_the_file)
{
	static const char text[] = "\n\n\n\ncolour = blue\n";

	config_parse(&cfg, "/etc/igd2d.conf", text, strlen(text), &errs);
	ck_assert_uint_eq(errs.count, 1);
	ck_assert_str_eq(errs.err[0].msg,
	    "/etc/igd2d.conf:5: unknown key \"colour\"");
}
END_TEST

/* ---- error collection ----------------------------------------------------- */

START_TEST(errors_parsing_goes_on)
{
	unsigned n = parse("http_port = 8080\n"
	    "colour = blue\n"
	    "lan_interface = br0\n"
	    "ssdp_max_age = 10\n"
	    "# comment\n"
	    "wan_interface = eth0\n"
	    "log_level = loud\n"
	    "lan_wait = 5\n");

	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(errs.count, 3);
	ck_assert_str_eq(errs.err[0].msg, "test.conf:2: unknown key \"colour\"");
	ck_assert_str_eq(errs.err[1].msg,
	    "test.conf:4: ssdp_max_age: \"10\" is not a number in 62..86400");
	ck_assert_str_eq(errs.err[2].msg, "test.conf:7: log_level: "
	    "expected one of err, warning, notice, info, debug");
	ck_assert_uint_eq(cfg.http_port, 8080);
	ck_assert_str_eq(cfg.lan_interface, "br0");
	ck_assert_str_eq(cfg.wan_interface, "eth0");
	ck_assert_uint_eq(cfg.lan_wait, 5);
}
END_TEST

/* config_parse returns what this call added, not the running total. */
START_TEST(errors_return_counts_this_call)
{
	ck_assert_uint_eq(parse("colour = blue\n"), 1);
	ck_assert_uint_eq(parse("colour = red\nshade = dark\n"), 2);
	ck_assert_uint_eq(errs.count, 3);
	ck_assert_str_eq(errs.err[2].msg, "test.conf:2: unknown key \"shade\"");
}
END_TEST

START_TEST(errors_beyond_max_are_counted)
{
	/* A guard right after the array catches a write past its end. */
	static struct {
		struct config_errs	e;
		char			guard[2 * CONFIG_ERR_LEN];
	} g;
	char text[64 * (CONFIG_ERRS_MAX + 8)] = "";
	char want[64];
	unsigned i;

	memset(g.guard, 0x5a, sizeof(g.guard));
	for (i = 0; i < CONFIG_ERRS_MAX + 8; i++)
		strcat(text, "colour = blue\n");
	ck_assert_uint_eq(config_parse(&cfg, FILE_NAME, text, strlen(text),
	    &g.e), CONFIG_ERRS_MAX + 8);
	ck_assert_uint_eq(g.e.count, CONFIG_ERRS_MAX + 8);
	ck_assert_str_eq(g.e.err[0].msg, "test.conf:1: unknown key \"colour\"");
	snprintf(want, sizeof(want), "test.conf:%d: unknown key \"colour\"",
	    CONFIG_ERRS_MAX);
	ck_assert_str_eq(g.e.err[CONFIG_ERRS_MAX - 1].msg, want);
	for (i = 0; i < sizeof(g.guard); i++)
		ck_assert_int_eq(g.guard[i], 0x5a);
}
END_TEST

/* ---- -o key=value ------------------------------------------------------ */

START_TEST(option_sets_key)
{
	ck_assert_int_eq(config_set_option(&cfg, "-o", "http_port=8080",
	    &errs), 0);
	ck_assert_uint_eq(errs.count, 0);
	ck_assert_uint_eq(cfg.http_port, 8080);
}
END_TEST

/* The first '=' ends the key; the rest is the value. */
START_TEST(option_value_may_hold_equals)
{
	ck_assert_int_eq(config_set_option(&cfg, "-o", "friendly_name=a=b",
	    &errs), 0);
	ck_assert_str_eq(cfg.friendly_name, "a=b");
}
END_TEST

START_TEST(option_missing_equals)
{
	ck_assert_int_eq(config_set_option(&cfg, "-o", "http_port8080",
	    &errs), -1);
	ck_assert_uint_eq(errs.count, 1);
	ck_assert_str_eq(errs.err[0].msg,
	    "-o: \"http_port8080\": expected key=value");
}
END_TEST

START_TEST(option_empty_key)
{
	ck_assert_int_eq(config_set_option(&cfg, "-o", "=8080", &errs), -1);
	ck_assert_uint_eq(errs.count, 1);
	ck_assert_str_eq(errs.err[0].msg, "-o: \"=8080\": missing or overlong key");
}
END_TEST

START_TEST(option_unknown_key)
{
	ck_assert_int_eq(config_set_option(&cfg, "-o", "colour=blue", &errs),
	    -1);
	ck_assert_uint_eq(errs.count, 1);
	ck_assert_str_eq(errs.err[0].msg, "-o: unknown key \"colour\"");
}
END_TEST

START_TEST(option_bad_value)
{
	ck_assert_int_eq(config_set_option(&cfg, "-o", "http_port=x", &errs),
	    -1);
	ck_assert_uint_eq(errs.count, 1);
	ck_assert_str_eq(errs.err[0].msg,
	    "-o: http_port: \"x\" is not a number in 0..65535");
}
END_TEST

/* "-o KEY=VALUE ... wins over the file" (igd2d --help). */
START_TEST(option_wins_over_file)
{
	parse_ok("http_port = 80\nfriendly_name = From File\n");
	ck_assert_int_eq(config_set_option(&cfg, "-o", "http_port=8080",
	    &errs), 0);
	ck_assert_int_eq(config_set_option(&cfg, "-o",
	    "friendly_name=From Option", &errs), 0);
	ck_assert_uint_eq(errs.count, 0);
	ck_assert_uint_eq(cfg.http_port, 8080);
	ck_assert_str_eq(cfg.friendly_name, "From Option");
}
END_TEST

START_TEST(set_raw_value)
{
	ck_assert_int_eq(config_set(&cfg, "--lan", "lan_interface", "br0",
	    &errs), 0);
	ck_assert_str_eq(cfg.lan_interface, "br0");
	ck_assert_int_eq(config_set(&cfg, "--lan", "lan_interface", "a/b",
	    &errs), -1);
	ck_assert_uint_eq(errs.count, 1);
	ck_assert_str_eq(errs.err[0].msg, "--lan: lan_interface: not a valid "
	    "interface or chain name (1-15 printable characters, no '/' or "
	    "blanks)");
}
END_TEST

/* A rejected value leaves the setting as it was. */
START_TEST(rejected_value_keeps_previous)
{
	parse_ok("http_port = 8080\nlan_interface = br0\nfriendly_name = Home\n"
	    "wan_guard = no\nlog_level = debug\nigd_version = 1\n"
	    "state_dir = /srv/igd2d\n");
	ck_assert_int_eq(config_set(&cfg, "-o", "http_port", "x", &errs), -1);
	ck_assert_int_eq(config_set(&cfg, "-o", "lan_interface", "a/b",
	    &errs), -1);
	ck_assert_int_eq(config_set(&cfg, "-o", "friendly_name", "a\tb",
	    &errs), -1);
	ck_assert_int_eq(config_set(&cfg, "-o", "wan_guard", "maybe", &errs),
	    -1);
	ck_assert_int_eq(config_set(&cfg, "-o", "log_level", "loud", &errs),
	    -1);
	ck_assert_int_eq(config_set(&cfg, "-o", "igd_version", "3", &errs),
	    -1);
	ck_assert_int_eq(config_set(&cfg, "-o", "state_dir", "rel", &errs),
	    -1);
	ck_assert_uint_eq(errs.count, 7);
	ck_assert_uint_eq(cfg.http_port, 8080);
	ck_assert_str_eq(cfg.lan_interface, "br0");
	ck_assert_str_eq(cfg.friendly_name, "Home");
	ck_assert(!cfg.wan_guard);
	ck_assert_int_eq(cfg.log_level, CONFIG_LOG_DEBUG);
	ck_assert_uint_eq(cfg.igd_version, 1);
	ck_assert_str_eq(cfg.state_dir, "/srv/igd2d");
}
END_TEST

/* ---- config_validate ------------------------------------------------------ */

START_TEST(validate_ok)
{
	strcpy(cfg.lan_interface, "br0");
	strcpy(cfg.wan_interface, "eth0");
	ck_assert_uint_eq(config_validate(&cfg, &errs), 0);
	ck_assert_uint_eq(errs.count, 0);
}
END_TEST

START_TEST(validate_missing_lan)
{
	strcpy(cfg.wan_interface, "eth0");
	ck_assert_uint_eq(config_validate(&cfg, &errs), 1);
	ck_assert_str_eq(errs.err[0].msg, "lan_interface: not set (use the "
	    "configuration file or --lan IF)");
}
END_TEST

START_TEST(validate_missing_wan)
{
	strcpy(cfg.lan_interface, "br0");
	ck_assert_uint_eq(config_validate(&cfg, &errs), 1);
	ck_assert_str_eq(errs.err[0].msg, "wan_interface: not set (use the "
	    "configuration file or --wan IF)");
}
END_TEST

START_TEST(validate_missing_both)
{
	ck_assert_uint_eq(config_validate(&cfg, &errs), 2);
	ck_assert_uint_eq(errs.count, 2);
	ck_assert_str_eq(errs.err[0].msg, "lan_interface: not set (use the "
	    "configuration file or --lan IF)");
	ck_assert_str_eq(errs.err[1].msg, "wan_interface: not set (use the "
	    "configuration file or --wan IF)");
}
END_TEST

START_TEST(validate_same_interface)
{
	strcpy(cfg.lan_interface, "eth0");
	strcpy(cfg.wan_interface, "eth0");
	ck_assert_uint_eq(config_validate(&cfg, &errs), 1);
	ck_assert_str_eq(errs.err[0].msg, "lan_interface and wan_interface are "
	    "both \"eth0\": they must differ");
}
END_TEST

/*
 * Issue 8: the HTTP limits are on by default, may be turned off with 0,
 * and nonzero values too low for honest control points are refused.
 */
START_TEST(validate_http_limits)
{
	strcpy(cfg.lan_interface, "br0");
	strcpy(cfg.wan_interface, "eth0");
	ck_assert_uint_eq(cfg.http_conn_limit, HTTP_CONN_LIMIT_MIN);
	ck_assert_uint_ne(cfg.http_conn_rate, 0);
	cfg.http_conn_limit = 0;
	cfg.http_conn_rate = 0;
	ck_assert_uint_eq(config_validate(&cfg, &errs), 0);
	cfg.http_conn_limit = HTTP_CONN_LIMIT_MIN;
	cfg.http_conn_rate = HTTP_CONN_RATE_MIN;
	ck_assert_uint_eq(config_validate(&cfg, &errs), 0);
	cfg.http_conn_limit = HTTP_CONN_LIMIT_MIN - 1;
	cfg.http_conn_rate = HTTP_CONN_RATE_MIN - 1;
	ck_assert_uint_eq(config_validate(&cfg, &errs), 2);
	ck_assert_ptr_nonnull(strstr(errs.err[0].msg, "http_conn_limit: 3 "));
	ck_assert_ptr_nonnull(strstr(errs.err[1].msg, "http_conn_rate: 9/s "));
}
END_TEST

/* ---- key table ------------------------------------------------------------- */

/* STYLE 9: lookup uses bsearch, so the table must stay sorted. */
START_TEST(keys_sorted_for_bsearch)
{
	size_t i, n = config_nkeys();

	ck_assert_uint_gt(n, 1);
	for (i = 1; i < n; i++)
		ck_assert_msg(strcmp(config_key(i - 1), config_key(i)) < 0,
		    "\"%s\" before \"%s\"", config_key(i - 1), config_key(i));
}
END_TEST

START_TEST(keys_out_of_range_is_null)
{
	ck_assert_ptr_null(config_key(config_nkeys()));
}
END_TEST

/* Every key of struct config is in the table, and no other. */
START_TEST(keys_match_struct_config)
{
	static const char *want[] = {
		"allow", "connect_delay", "connecting_timeout", "ctl_group",
		"ctl_socket", "deny",
		"disconnect_delay", "external_ip", "friendly_name",
		"fw_chain_prefix", "fw_hook",
		"hairpin",
		"http_conn_burst", "http_conn_limit", "http_conn_rate",
		"http_port", "igd_version", "lan_interface",
		"lan_wait", "lease_file", "log_level", "manager", "manufacturer",
		"manufacturer_url", "max_description", "max_mappings",
		"max_mappings_per_client", "max_soap_body",
		"model_description", "model_name", "model_number", "model_url",
		"open_connection_control", "persist",
		"pid_file", "runtime_dir", "serial_number", "ssdp_burst",
		"ssdp_max_age", "ssdp_rate", "state_dir", "static", "uuid",
		"wan_guard",
		"wan_interface", "wan_mode",
	};
	size_t i, j, n = sizeof(want) / sizeof(want[0]);

	ck_assert_uint_eq(config_nkeys(), n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < config_nkeys(); j++)
			if (strcmp(config_key(j), want[i]) == 0)
				break;
		ck_assert_msg(j < config_nkeys(), "%s missing", want[i]);
	}
}
END_TEST

/* ---- config_foreach and the --check-config round trip ------------------- */

struct dump {
	char	text[8192];
	size_t	calls;
	char	keys[64][32];
};

/* Writes key = "value" with \" and \\ escaped, as the file format wants. */
static void
dump_setting(const char *key, const char *value, void *arg)
{
	struct dump *d = arg;
	size_t n = strlen(d->text);

	if (d->calls < 64)
		snprintf(d->keys[d->calls], sizeof(d->keys[0]), "%s", key);
	d->calls++;
	n += (size_t)snprintf(d->text + n, sizeof(d->text) - n, "%s = \"", key);
	for (; *value != '\0'; value++) {
		if (*value == '"' || *value == '\\')
			d->text[n++] = '\\';
		d->text[n++] = *value;
	}
	snprintf(d->text + n, sizeof(d->text) - n, "\"\n");
	ck_assert_uint_lt(strlen(d->text), sizeof(d->text) - 1);
}

/* Parses text into c, which must give no error. */
static void
parse_ok_into(struct config *c, const char *text)
{
	unsigned n = config_parse(c, "dump", text, strlen(text), &errs);

	ck_assert_msg(n == 0 && errs.count == 0, "%u error(s), first: %s\n%s",
	    errs.count, errs.count > 0 ? errs.err[0].msg : "", text);
}

START_TEST(foreach_calls_every_key_in_table_order)
{
	static struct dump d;
	size_t i;

	size_t n = 0;

	/* The repeatable lists print one line per entry: none by default. */
	config_foreach(&cfg, dump_setting, &d);
	for (i = 0; i < config_nkeys(); i++) {
		if (strcmp(config_key(i), "allow") == 0 ||
		    strcmp(config_key(i), "deny") == 0 ||
		    strcmp(config_key(i), "manager") == 0 ||
		    strcmp(config_key(i), "static") == 0)
			continue;
		ck_assert_str_eq(d.keys[n], config_key(i));
		n++;
	}
	ck_assert_uint_eq(d.calls, n);
}
END_TEST

/*
 * --check-config prints only a valid configuration: the defaults plus the
 * two interfaces it requires.  That output parses back to the same thing.
 */
START_TEST(foreach_round_trip_defaults)
{
	static struct dump d;
	struct config back;

	parse_ok("lan_interface = br0\nwan_interface = eth0\n");
	config_foreach(&cfg, dump_setting, &d);
	config_defaults(&back, &paths);
	parse_ok_into(&back, d.text);
	ck_assert(memcmp(&back, &cfg, sizeof(cfg)) == 0);
}
END_TEST

/* Every key set away from its default survives print + parse. */
START_TEST(foreach_round_trip_every_key)
{
	static struct dump d;
	struct config back;

	parse_ok("friendly_name = \"  \\\"Quoted\\\" # not a comment \\\\ \"\n"
	    "fw_chain_prefix = MINE\n"
	    "fw_hook = off\n"
	    "http_port = 5000\n"
	    "igd_version = 1\n"
	    "lan_interface = br-lan\n"
	    "lan_wait = 600\n"
	    "log_level = debug\n"
	    "manufacturer = \"Caf\xc3\xa9 & Co <x>\"\n"
	    "manufacturer_url = http://m.example/?a=1&b=2\n"
	    "model_description = \"\"\n"
	    "model_name = HG#2\n"
	    "model_number = 0\n"
	    "model_url = \"http://m.example/a b\"\n"
	    "pid_file = \"/run/with space/p.pid\"\n"
	    "runtime_dir = /run/r\n"
	    "serial_number = \"\\\\\\\\server\\\\share\"\n"
	    "ssdp_max_age = 62\n"
	    "state_dir = /var/lib/s\n"
	    "static = UDP 53 10.1.2.3 5353 dns server\n"
	    "static = TCP 1 10.1.2.4 65535\n"
	    "persist = no\n"
	    "lease_file = /srv/leases\n"
	    "ctl_group = wheel\n"
	    "uuid = uuid:" UUID_UPPER "\n"
	    "wan_guard = false\n"
	    "wan_interface = eth0.2\n");
	config_foreach(&cfg, dump_setting, &d);
	config_defaults(&back, &paths);
	parse_ok_into(&back, d.text);
	ck_assert_str_eq(back.friendly_name,
	    "  \"Quoted\" # not a comment \\ ");
	ck_assert_str_eq(back.serial_number, "\\\\server\\share");
	ck_assert_str_eq(back.uuid, UUID_LOWER);
	ck_assert(memcmp(&back, &cfg, sizeof(cfg)) == 0);
}
END_TEST

/* ---- static mappings, persistence, control socket (issue 6) ------------- */

START_TEST(static_lines)
{
	char ip[INET_ADDRSTRLEN];

	parse_ok("static = TCP 80 192.168.1.10 8080 web server  \n"
	    "static = udp 80 192.168.1.11 80\n"
	    "static = \"TCP 81 192.168.1.10 81 a # b\"\n");
	ck_assert_uint_eq(cfg.nstatics, 3);
	ck_assert(!cfg.statics[0].udp);
	ck_assert_uint_eq(cfg.statics[0].eport, 80);
	ck_assert_uint_eq(cfg.statics[0].iport, 8080);
	inet_ntop(AF_INET, &cfg.statics[0].client, ip, sizeof(ip));
	ck_assert_str_eq(ip, "192.168.1.10");
	ck_assert_str_eq(cfg.statics[0].desc, "web server");
	ck_assert(cfg.statics[1].udp);
	ck_assert_str_eq(cfg.statics[1].desc, "");
	ck_assert_str_eq(cfg.statics[2].desc, "a # b");
}
END_TEST

START_TEST(static_errors)
{
	fresh_bad("static = SCTP 1 10.0.0.1 1\n", "test.conf:1: static: "
	    "expected PROTO EXTPORT CLIENT INTPORT [DESCRIPTION] with PROTO "
	    "TCP or UDP");
	fresh_bad("static = TCP 0 10.0.0.1 1\n",
	    "test.conf:1: static: external port: expected 1-65535");
	fresh_bad("static = TCP 1 10.0.0 1\n",
	    "test.conf:1: static: client: expected a host's IPv4 address");
	fresh_bad("static = TCP 1 0.0.0.0 1\n",
	    "test.conf:1: static: client: expected a host's IPv4 address");
	fresh_bad("static = TCP 1 10.0.0.1\n",
	    "test.conf:1: static: internal port: expected 1-65535");
	fresh_bad("static = TCP 1 10.0.0.1 65536\n",
	    "test.conf:1: static: internal port: expected 1-65535");
	fresh_bad("static = TCP 1 10.0.0.1 1\nstatic = tcp 1 10.0.0.2 2\n",
	    "test.conf:2: static: this protocol and external port already "
	    "have a static mapping");
	fresh_bad(filled("static = TCP 1 10.0.0.1 1 ", 'd', 129, "\n"),
	    "test.conf:1: static: description: at most 128 bytes, no control "
	    "characters");
}
END_TEST

START_TEST(persistence_and_ctl_keys)
{
	char buf[CONFIG_PATH_MAX + 16];

	ck_assert(cfg.persist);
	config_lease_file(&cfg, buf, sizeof(buf));
	ck_assert_str_eq(buf, "/var/lib/igd2d-test/leases");
	config_ctl_socket(&cfg, buf, sizeof(buf));
	ck_assert_str_eq(buf, "/run/igd2d-test/igd2d.sock");
	parse_ok("persist = no\nlease_file = /srv/l\nctl_socket = /tmp/s\n"
	    "ctl_group = net-admin_1\n");
	ck_assert(!cfg.persist);
	config_lease_file(&cfg, buf, sizeof(buf));
	ck_assert_str_eq(buf, "/srv/l");
	config_ctl_socket(&cfg, buf, sizeof(buf));
	ck_assert_str_eq(buf, "/tmp/s");
	ck_assert_str_eq(cfg.ctl_group, "net-admin_1");
	fresh_ok("lease_file", "\"\"");
	ck_assert_str_eq(cfg.lease_file, "");
	fresh_bad("lease_file = leases\n",
	    "test.conf:1: lease_file: must be an absolute path");
	fresh_bad("ctl_group = a:b\n", "test.conf:1: ctl_group: not a group "
	    "name (letters, digits, '_', '-', '.', at most 32)");
}
END_TEST

/* ---- suite ------------------------------------------------------------------ */

/* A rejected UUID leaves the one set before (like every other key). */
START_TEST(uuid_rejected_keeps_previous)
{
	parse_ok("uuid = " UUID_LOWER "\n");
	ck_assert_int_eq(config_set(&cfg, "-o", "uuid",
	    "11111111-2222-3333-4444-55555555555g", &errs), -1);
	ck_assert_str_eq(cfg.uuid, UUID_LOWER);
}
END_TEST

/* max_mappings: 1..65535 (PortMappingNumberOfEntries is a ui2, VC-21). */
START_TEST(vc21_max_mappings_range)
{
	parse_ok("max_mappings = 1\n");
	ck_assert_uint_eq(cfg.max_mappings, 1);
	ck_assert_int_eq(config_set(&cfg, "-o", "max_mappings", "65535",
	    &errs), 0);
	ck_assert_uint_eq(cfg.max_mappings, 65535);
	ck_assert_int_eq(config_set(&cfg, "-o", "max_mappings", "0", &errs),
	    -1);
	ck_assert_int_eq(config_set(&cfg, "-o", "max_mappings", "65536",
	    &errs), -1);
	ck_assert_str_eq(errs.err[1].msg,
	    "-o: max_mappings: \"65536\" is not a number in 1..65535");
	ck_assert_uint_eq(cfg.max_mappings, 65535);
}
END_TEST

/* Access rules: repeatable lines in miniupnpd syntax, kept in order. */
START_TEST(acl_lines_in_order)
{
	char buf[96];

	parse_ok("allow 80 192.168.1.10 80\n"
	    "deny 0-1023 0.0.0.0/0 0-65535\n"
	    "allow = 1024-65535 192.168.1.0/24 1024-65535\n"
	    "manager 192.168.1.20\nmanager = 10.0.0.0/8\n");
	ck_assert_uint_eq(cfg.acl.nrules, 3);
	ck_assert(cfg.acl.rule[0].allow);
	ck_assert(!cfg.acl.rule[1].allow);
	acl_format_rule(&cfg.acl.rule[2], buf, sizeof(buf));
	ck_assert_str_eq(buf, "1024-65535 192.168.1.0/24 1024-65535");
	ck_assert_uint_eq(cfg.acl.nmanagers, 2);
	acl_format_prefix(&cfg.acl.manager[1], buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.0.0.0/8");
}
END_TEST

/* A bad rule names file:line and the key. */
START_TEST(acl_bad_lines)
{
	parse("allow 2000-1000 0.0.0.0/0 1-2\ndeny 1 10.0.0.0/40 1\n"
	    "manager 10.0.0\nallow 1 2\n");
	ck_assert_uint_eq(errs.count, 4);
	ck_assert_str_eq(errs.err[0].msg,
	    "test.conf:1: allow: port range is empty (start above end)");
	ck_assert_str_eq(errs.err[1].msg,
	    "test.conf:2: deny: prefix length must be 0..32");
	ck_assert_str_eq(errs.err[2].msg,
	    "test.conf:3: manager: not an IPv4 address");
	ck_assert_str_eq(errs.err[3].msg,
	    "test.conf:4: allow: expected: EXTPORTS ADDRESS[/PREFIX] INTPORTS");
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("defaults");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, defaults_take_the_build_paths);
	tcase_add_test(tc, defaults_have_no_interfaces);
	tcase_add_test(tc, defaults_uuid_is_generated);
	tcase_add_test(tc, defaults_igd_version_is_2);
	tcase_add_test(tc, defaults_wan_guard_is_on);
	tcase_add_test(tc, defaults_ssdp_max_age_at_least_1800);
	tcase_add_test(tc, defaults_empty_text_keeps_them);
	tcase_add_test(tc, defaults_comment_only_text_keeps_them);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, acl_lines_in_order);
	tcase_add_test(tc, acl_bad_lines);
	tcase_add_test(tc, vc21_max_mappings_range);
	tcase_add_test(tc, uuid_rejected_keeps_previous);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, str_keys_take_text);
	tcase_add_test(tc, str_at_uda_limit_is_accepted);
	tcase_add_test(tc, str_url_up_to_buffer_is_accepted);
	tcase_add_test(tc, str_utf8_counts_bytes);
	tcase_add_test(tc, ifname_keys_take_names);
	tcase_add_test(tc, ifname_15_chars_is_accepted);
	tcase_add_test(tc, path_keys_take_absolute_paths);
	tcase_add_test(tc, path_longest_is_accepted);
	tcase_add_test(tc, uint_http_port_edges);
	tcase_add_test(tc, uint_ssdp_max_age_edges);
	tcase_add_test(tc, uint_lan_wait_edges);
	tcase_add_test(tc, uint_leading_zeros_are_decimal);
	tcase_add_test(tc, bool_true_spellings);
	tcase_add_test(tc, bool_false_spellings);
	tcase_add_test(tc, log_level_names);
	tcase_add_test(tc, uuid_bare);
	tcase_add_test(tc, uuid_with_prefix_stored_bare);
	tcase_add_test(tc, uuid_upper_case_stored_lower);
	tcase_add_test(tc, uuid_empty_means_generated);
	tcase_add_test(tc, igd_version_1_and_2);
	tcase_add_test(tc, igd_version_trailing_blanks_unquoted);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, syntax_full_line_comment);
	tcase_add_test(tc, syntax_comment_after_value);
	tcase_add_test(tc, syntax_hash_glued_to_value_is_kept);
	tcase_add_test(tc, syntax_hash_inside_quotes_is_kept);
	tcase_add_test(tc, syntax_comment_after_quoted_value);
	tcase_add_test(tc, syntax_blank_lines);
	tcase_add_test(tc, syntax_crlf_line_ends);
	tcase_add_test(tc, syntax_last_line_without_newline);
	tcase_add_test(tc, syntax_quoted_escapes);
	tcase_add_test(tc, syntax_quoted_keeps_blanks);
	tcase_add_test(tc, syntax_unquoted_inner_blanks_kept);
	tcase_add_test(tc, syntax_blanks_around_equals);
	tcase_add_test(tc, syntax_line_of_1024_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad lines");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, bad_unknown_key);
	tcase_add_test(tc, bad_key_wrong_case);
	tcase_add_test(tc, bad_missing_equals);
	tcase_add_test(tc, bad_missing_key);
	tcase_add_test(tc, bad_key_with_blanks);
	tcase_add_test(tc, bad_number_letters);
	tcase_add_test(tc, bad_number_negative);
	tcase_add_test(tc, bad_number_plus_sign);
	tcase_add_test(tc, bad_number_quoted_blank);
	tcase_add_test(tc, bad_number_hex);
	tcase_add_test(tc, bad_number_exponent);
	tcase_add_test(tc, bad_number_over_16_bits);
	tcase_add_test(tc, bad_number_over_32_bits);
	tcase_add_test(tc, bad_number_empty);
	tcase_add_test(tc, bad_number_below_min);
	tcase_add_test(tc, bad_number_above_max);
	tcase_add_test(tc, bad_boolean);
	tcase_add_test(tc, bad_log_level);
	tcase_add_test(tc, bad_uuid_length);
	tcase_add_test(tc, bad_uuid_char);
	tcase_add_test(tc, bad_uuid_misplaced_dash);
	tcase_add_test(tc, bad_igd_version);
	tcase_add_test(tc, bad_igd_version_quoted_blank);
	tcase_add_test(tc, bad_ifname_too_long);
	tcase_add_test(tc, bad_ifname_slash);
	tcase_add_test(tc, bad_ifname_blank);
	tcase_add_test(tc, bad_ifname_empty);
	tcase_add_test(tc, bad_ifname_dots);
	tcase_add_test(tc, bad_path_relative);
	tcase_add_test(tc, bad_path_too_long);
	tcase_add_test(tc, bad_path_control_char);
	tcase_add_test(tc, bad_str_over_uda_limit);
	tcase_add_test(tc, bad_str_over_buffer);
	tcase_add_test(tc, bad_str_control_char);
	tcase_add_test(tc, bad_unterminated_quote);
	tcase_add_test(tc, bad_escape);
	tcase_add_test(tc, bad_text_after_quote);
	tcase_add_test(tc, bad_key_set_twice);
	tcase_add_test(tc, key_in_two_texts_is_fine);
	tcase_add_test(tc, bad_line_too_long);
	tcase_add_test(tc, bad_nul_byte);
	tcase_add_test(tc, bad_line_names_the_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, errors_parsing_goes_on);
	tcase_add_test(tc, errors_return_counts_this_call);
	tcase_add_test(tc, errors_beyond_max_are_counted);
	suite_add_tcase(s, tc);

	tc = tcase_create("options");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, option_sets_key);
	tcase_add_test(tc, option_value_may_hold_equals);
	tcase_add_test(tc, option_missing_equals);
	tcase_add_test(tc, option_empty_key);
	tcase_add_test(tc, option_unknown_key);
	tcase_add_test(tc, option_bad_value);
	tcase_add_test(tc, option_wins_over_file);
	tcase_add_test(tc, set_raw_value);
	tcase_add_test(tc, rejected_value_keeps_previous);
	suite_add_tcase(s, tc);

	tc = tcase_create("validate");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, validate_ok);
	tcase_add_test(tc, validate_missing_lan);
	tcase_add_test(tc, validate_missing_wan);
	tcase_add_test(tc, validate_missing_both);
	tcase_add_test(tc, validate_same_interface);
	tcase_add_test(tc, validate_http_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, keys_sorted_for_bsearch);
	tcase_add_test(tc, keys_out_of_range_is_null);
	tcase_add_test(tc, keys_match_struct_config);
	tcase_add_test(tc, foreach_calls_every_key_in_table_order);
	tcase_add_test(tc, foreach_round_trip_defaults);
	tcase_add_test(tc, foreach_round_trip_every_key);
	tcase_add_test(tc, static_lines);
	tcase_add_test(tc, static_errors);
	tcase_add_test(tc, persistence_and_ctl_keys);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
